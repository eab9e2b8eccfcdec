-- One row per declared language (the respondent's, ISO 639-1 or 'und') and language detected in
-- the answer (ISO 639-1, or 'und' where none was) with at least one response: responses, and
-- respondents (those of the declared language with at least one answer in that language), with
-- the sums mod 2^32 of their record keys.
-- The cube's twin of queries/language_by_answer_language.sql, for respondent filters only (no
-- theme, question, code, date, answer language or search filter): the same rows, columns and
-- figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    p.language,
    c.answer_language,
    sum(c.respondents)::BIGINT AS respondents,
    sum(c.responses)::BIGINT AS responses,
    (sum(c.respondent_key_sum) % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(c.response_key_sum) % 4294967296)::BIGINT AS response_key_sum
FROM cube_answer_languages AS c
JOIN selected_profiles(
    $consultation, $regions, $countries, $languages, $stakeholder_types
) AS p ON p.profile_id = c.profile_id
WHERE c.consultation_id = $consultation
GROUP BY p.language, c.answer_language
ORDER BY p.language, c.answer_language
