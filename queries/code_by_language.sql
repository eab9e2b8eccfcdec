-- One row per code and language with at least one tagged response: the responses
-- carrying the code, and respondents (those from the language with at least one such response).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    code_id,
    language,
    count(DISTINCT respondent_key) AS respondents,
    count(*) AS responses
FROM (
    SELECT unnest(s.codes) AS code_id, s.language, s.respondent_key
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS s
)
WHERE $codes IS NULL OR list_contains($codes, code_id)
GROUP BY code_id, language
ORDER BY code_id, language
