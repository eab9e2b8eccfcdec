-- One row per theme and language with at least one response: responses, and respondents
-- (those of the language with at least one response in the theme).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    theme_id,
    language,
    count(DISTINCT respondent_key) AS respondents,
    count(*) AS responses
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz
)
GROUP BY theme_id, language
ORDER BY theme_id, language
