-- One row: how many responses, and from how many respondents, match the filters and contain
-- every word of $search (case-insensitive; NULL for no search) in the text shown (redacted, or
-- as written when $raw).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $search, $raw.
WITH matching AS (
    -- The answers holding every searched word; with no search the planner drops this scan.
    SELECT a.import_id, a.source_row, a.question_id
    FROM responses AS a
    WHERE $search IS NOT NULL
        AND a.consultation_id = $consultation
        AND list_bool_and(list_transform($search, lambda w: contains(
            lower(CASE WHEN $raw THEN a.answer ELSE a.answer_redacted END), lower(w)
        )))
)
SELECT
    count(*) AS responses,
    count(DISTINCT s.respondent_key) AS respondents
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz
) AS s
LEFT JOIN matching AS m USING (import_id, source_row, question_id)
WHERE $search IS NULL OR m.import_id IS NOT NULL
