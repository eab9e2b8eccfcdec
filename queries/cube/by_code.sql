-- One row per code of the consultation's codebook (in its order, zero where none), then '(none)'
-- for answers no code tags: the responses carrying it and its respondents, who are those with at
-- least one such response, with the sums mod 2^32 of their record keys.
-- The cube's twin of queries/by_code.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counted AS (
    SELECT
        c.code_id,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_codes AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
    GROUP BY c.code_id
),
defined AS (
    SELECT code_id, theme_id, position
    FROM codes
    WHERE consultation_id = $consultation
    UNION ALL
    SELECT '(none)', '', 1000000
)
SELECT
    d.code_id,
    d.theme_id,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM defined AS d
LEFT JOIN counted AS c USING (code_id)
ORDER BY d.position
