-- One row per theme of the consultation (zero where none, in the definition's order, and 'Unknown'
-- for answers to questions no theme lists): its responses, and its respondents, who are those with
-- at least one response in it, with the sums mod 2^32 of their record keys.
-- The cube's twin of queries/by_theme.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH answered AS (
    SELECT
        c.theme_id,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_themes AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
    GROUP BY c.theme_id
),
defined AS (
    SELECT theme_id, position
    FROM themes
    WHERE consultation_id = $consultation
)
SELECT
    coalesce(d.theme_id, a.theme_id) AS theme_id,
    coalesce(a.respondents, 0)::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(a.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM defined AS d
FULL JOIN answered AS a USING (theme_id)
ORDER BY coalesce(d.position, 1e9), theme_id
