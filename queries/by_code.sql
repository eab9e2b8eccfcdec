-- One row per code of the consultation's codebook (in its order, zero where none), then
-- '(none)' for answers no code tags: the responses carrying it and its respondents, who are
-- those with at least one such response. Codes overlap: an answer may carry several.
-- With the sums of the counted records' keys (respondent_key_sum, response_key_sum) from
-- which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH coded AS (
    SELECT
        unnest(CASE WHEN len(s.codes) = 0 THEN ['(none)'] ELSE s.codes END) AS code_id,
        s.respondent_key,
        s.record_key
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS s
),
counted AS (
    SELECT code_id, count(DISTINCT respondent_key) AS respondents, count(*) AS responses,
        sum(DISTINCT respondent_key::HUGEINT * 4294967296 + record_key) AS respondent_key_sum,
        sum(record_key)::HUGEINT AS response_key_sum
    FROM coded
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
    coalesce(c.respondent_key_sum, 0) AS respondent_key_sum,
    coalesce(c.response_key_sum, 0) AS response_key_sum
FROM defined AS d
LEFT JOIN counted AS c USING (code_id)
WHERE $codes IS NULL OR list_contains($codes, d.code_id)
ORDER BY d.position
