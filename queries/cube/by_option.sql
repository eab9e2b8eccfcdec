-- One row per question and option of the questions that span several columns, in the definition's
-- order of questions and the file's order of columns (zero where none under the filters): the
-- respondents who chose it, and the responses that hold it, with the sums mod 2^32 of their record
-- keys.
-- The cube's twin of queries/by_option.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counted AS (
    SELECT
        c.question_id,
        c.option,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_options AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
    GROUP BY c.question_id, c.option
)
SELECT
    p.question_id,
    p.theme_id,
    p.option,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM cube_option_places AS p
LEFT JOIN counted AS c USING (question_id, option)
WHERE p.consultation_id = $consultation
ORDER BY p.question_position, p.question_id, p.position, p.option
