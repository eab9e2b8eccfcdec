-- One row per theme and language with at least one response: responses, and respondents
-- (those of the language with at least one response in the theme).
-- With the sums of the counted records' keys (respondent_key_sum, response_key_sum) from
-- which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    theme_id,
    language,
    count(DISTINCT respondent_key) AS respondents,
    count(*) AS responses,
    sum(DISTINCT respondent_key::HUGEINT * 4294967296 + record_key) AS respondent_key_sum,
    sum(record_key)::HUGEINT AS response_key_sum
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz
)
GROUP BY theme_id, language
ORDER BY theme_id, language
