-- One row per code and M49 region with at least one tagged response: the responses
-- carrying the code, and respondents (those from the region with at least one such response).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    t.code_id,
    s.region,
    count(DISTINCT s.respondent_id) AS respondents,
    count(*) AS responses
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz
) AS s
JOIN response_codes AS t
    ON t.consultation_id = $consultation
    AND t.import_id = s.import_id
    AND t.source_row = s.source_row
    AND t.question_id = s.question_id
WHERE $codes IS NULL OR list_contains($codes, t.code_id)
GROUP BY t.code_id, s.region
ORDER BY t.code_id, s.region
