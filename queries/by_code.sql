-- One row per code of the consultation's codebook (in its order, zero where none), then
-- '(none)' for answers no code tags: the responses carrying it and its respondents, who are
-- those with at least one such response. Codes overlap: an answer may carry several.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH coded AS (
    SELECT
        unnest(CASE WHEN len(s.codes) = 0 THEN ['(none)'] ELSE s.codes END) AS code_id,
        s.respondent_key
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS s
),
counted AS (
    SELECT code_id, count(DISTINCT respondent_key) AS respondents, count(*) AS responses
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
    coalesce(c.responses, 0) AS responses
FROM defined AS d
LEFT JOIN counted AS c USING (code_id)
WHERE $codes IS NULL OR list_contains($codes, d.code_id)
ORDER BY d.position
