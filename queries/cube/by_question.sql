-- One row per question of the consultation (zero where none, in the definition's order; plus
-- answers to questions the definition does not know), with its theme, its texts (JSON by language),
-- its responses, and its respondents (those who answered it), with the sums mod 2^32 of their
-- record keys.
-- The cube's twin of queries/by_question.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH answered AS (
    SELECT
        c.question_id,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_questions AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
    GROUP BY c.question_id
),
defined AS (
    SELECT question_id, coalesce(nullif(theme_id, ''), 'Unknown') AS theme_id, position, texts
    FROM questions
    WHERE consultation_id = $consultation
)
SELECT
    coalesce(d.question_id, a.question_id) AS question_id,
    coalesce(d.theme_id, 'Unknown') AS theme_id,
    coalesce(d.texts, '{}')::VARCHAR AS texts,
    coalesce(a.respondents, 0)::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(a.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM defined AS d
FULL JOIN answered AS a USING (question_id)
ORDER BY coalesce(d.position, 1e9), question_id
