-- One row per day (local date in zone $tz) and code with at least one tagged response: the
-- responses carrying the code that arrived that day, and their respondents (those with at
-- least one such response that day). Times that could not be read are left out.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    date_trunc('day', timezone($tz, s.submitted_at)) AS bin_start,
    t.code_id AS series,
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
WHERE s.submitted_at IS NOT NULL
    AND ($codes IS NULL OR list_contains($codes, t.code_id))
GROUP BY ALL
ORDER BY bin_start, series
