-- One row per code and language with at least one tagged response: the responses carrying the code,
-- and respondents (those from the language with at least one such response), with the sums mod 2^32
-- of their record keys.
-- The cube's twin of queries/code_by_language.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    c.code_id,
    p.language,
    sum(c.respondents)::BIGINT AS respondents,
    sum(c.responses)::BIGINT AS responses,
    (sum(c.respondent_key_sum) % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(c.response_key_sum) % 4294967296)::BIGINT AS response_key_sum
FROM cube_codes AS c
JOIN selected_profiles(
    $consultation, $regions, $countries, $languages, $stakeholder_types
) AS p ON p.profile_id = c.profile_id
WHERE c.consultation_id = $consultation
    AND c.code_id <> '(none)'
GROUP BY c.code_id, p.language
ORDER BY c.code_id, p.language
