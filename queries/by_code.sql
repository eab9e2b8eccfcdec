-- One row per code of the consultation's codebook (in its order, zero where none), then
-- '(none)' for answers no code tags: the responses carrying it and its respondents, who are
-- those with at least one such response. Codes overlap: an answer may carry several.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH coded AS (
    SELECT
        unnest(CASE WHEN len(s.codes) = 0 THEN ['(none)'] ELSE s.codes END) AS code_id,
        s.respondent_key,
        s.record_key
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS s
),
per_respondent AS (
    SELECT code_id, respondent_key, record_key, count(*) AS responses
    FROM coded
    GROUP BY ALL
),
counted AS (
    SELECT
        code_id,
        count(*) AS respondents,
        sum(responses)::BIGINT AS responses,
        sum(record_key)::HUGEINT AS respondent_key_sum,
        sum(record_key::HUGEINT * responses) AS response_key_sum
    FROM per_respondent
    GROUP BY code_id
),
defined AS (
    SELECT code_id, theme_id, position
    FROM codes
    WHERE consultation_id = $consultation
    UNION ALL
    SELECT '(none)', '', 1000000
)
SELECT
    d.code_id,
    d.theme_id,
    coalesce(c.respondents, 0) AS respondents,
    coalesce(c.responses, 0) AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM defined AS d
LEFT JOIN counted AS c USING (code_id)
WHERE $codes IS NULL OR list_contains($codes, d.code_id)
ORDER BY d.position
