-- One row per theme of the consultation (zero where none, in the definition's order, and
-- 'Unknown' for answers to questions no theme lists): its responses, and its respondents, who
-- are those with at least one response in it.
-- With the sums of the counted records' keys (respondent_key_sum, response_key_sum) from
-- which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH answered AS (
    SELECT theme_id, count(DISTINCT respondent_key) AS respondents, count(*) AS responses,
        sum(DISTINCT respondent_key::HUGEINT * 4294967296 + record_key) AS respondent_key_sum,
        sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
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
    coalesce(a.respondent_key_sum, 0) AS respondent_key_sum,
    coalesce(a.response_key_sum, 0) AS response_key_sum
FROM defined AS d
FULL JOIN answered AS a USING (theme_id)
ORDER BY coalesce(d.position, 1e9), theme_id
