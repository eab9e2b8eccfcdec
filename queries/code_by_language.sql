-- One row per code and language with at least one tagged response: the responses
-- carrying the code, and respondents (those from the language with at least one such response).
-- With the sums of the counted records' keys (respondent_key_sum, response_key_sum) from
-- which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    code_id,
    language,
    count(DISTINCT respondent_key) AS respondents,
    count(*) AS responses,
    sum(DISTINCT respondent_key::HUGEINT * 4294967296 + record_key) AS respondent_key_sum,
    sum(record_key)::HUGEINT AS response_key_sum
FROM (
    SELECT unnest(s.codes) AS code_id, s.language, s.respondent_key, s.record_key
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS s
)
WHERE $codes IS NULL OR list_contains($codes, code_id)
GROUP BY code_id, language
ORDER BY code_id, language
