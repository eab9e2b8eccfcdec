-- One row per theme of the consultation (zero where none, in the definition's order, and
-- 'Unknown' for answers to questions no theme lists): its responses, and its respondents, who
-- are those with at least one response in it.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH per_respondent AS (
    SELECT theme_id, respondent_key, record_key, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY ALL
),
answered AS (
    SELECT
        theme_id,
        count(*) AS respondents,
        sum(responses)::BIGINT AS responses,
        sum(record_key)::HUGEINT AS respondent_key_sum,
        sum(record_key::HUGEINT * responses) AS response_key_sum
    FROM per_respondent
    GROUP BY theme_id
),
defined AS (
    SELECT theme_id, position
    FROM themes
    WHERE consultation_id = $consultation
        AND ($themes IS NULL OR list_contains($themes, theme_id))
)
SELECT
    coalesce(d.theme_id, a.theme_id) AS theme_id,
    coalesce(a.respondents, 0) AS respondents,
    coalesce(a.responses, 0) AS responses,
    (coalesce(a.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM defined AS d
FULL JOIN answered AS a USING (theme_id)
ORDER BY coalesce(d.position, 1e9), theme_id
