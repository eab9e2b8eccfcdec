-- One row per declared language (the respondent's, ISO 639-1 or 'und') and language detected in
-- the answer (ISO 639-1, or 'und' where none was) with at least one response: responses, and
-- respondents (those of the declared language with at least one answer in that language).
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $answer_languages.
-- Counted per cell and respondent first, as theme_by_language.sql does.
WITH per_respondent AS (
    SELECT language, answer_language, respondent_key, record_key, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY ALL
)
SELECT
    language,
    answer_language,
    count(*) AS respondents,
    sum(responses)::BIGINT AS responses,
    (sum(record_key)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(record_key::HUGEINT * responses) % 4294967296)::BIGINT AS response_key_sum
FROM per_respondent
GROUP BY language, answer_language
ORDER BY language, answer_language
