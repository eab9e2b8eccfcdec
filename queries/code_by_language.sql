-- One row per code and language with at least one tagged response: the responses
-- carrying the code, and respondents (those from the language with at least one such response).
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH per_respondent AS (
    SELECT code_id, language, respondent_key, record_key, count(*) AS responses
    FROM (
        SELECT unnest(s.codes) AS code_id, s.language, s.respondent_key, s.record_key
        FROM selected_responses(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        ) AS s
    )
    WHERE $codes IS NULL OR list_contains($codes, code_id)
    GROUP BY ALL
)
SELECT
    code_id,
    language,
    count(*) AS respondents,
    sum(responses)::BIGINT AS responses,
    (sum(record_key)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(record_key::HUGEINT * responses) % 4294967296)::BIGINT AS response_key_sum
FROM per_respondent
GROUP BY code_id, language
ORDER BY code_id, language
