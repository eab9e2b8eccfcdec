-- One row per theme of the consultation (zero where none, in the definition's order, and
-- 'Unknown' for answers to questions no theme lists): its responses, and its respondents, who
-- are those with at least one response in it.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH answered AS (
    SELECT theme_id, count(DISTINCT respondent_key) AS respondents, count(*) AS responses
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
    coalesce(a.responses, 0) AS responses
FROM defined AS d
FULL JOIN answered AS a USING (theme_id)
ORDER BY coalesce(d.position, 1e9), theme_id
