-- One row: how many counted respondents have an unknown country or language, and how many selected
-- responses have an unknown time or answer a question no theme lists.
-- The cube's twin of queries/unknown_values.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH profiles AS (
    SELECT * FROM selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    )
)
SELECT
    (
        SELECT coalesce(sum(respondents) FILTER (WHERE country_iso3 IS NULL), 0)::BIGINT
        FROM profiles
    ) AS unknown_country,
    (
        SELECT coalesce(sum(respondents) FILTER (WHERE language = 'und'), 0)::BIGINT
        FROM profiles
    ) AS unknown_language,
    (
        SELECT coalesce(sum(c.responses), 0)::BIGINT
        FROM cube_periods AS c
        SEMI JOIN profiles AS p ON p.profile_id = c.profile_id
        WHERE c.consultation_id = $consultation AND c.period = 'unknown'
    ) AS unknown_time,
    (
        SELECT coalesce(sum(c.responses), 0)::BIGINT
        FROM cube_themes AS c
        SEMI JOIN profiles AS p ON p.profile_id = c.profile_id
        WHERE c.consultation_id = $consultation AND c.theme_id = 'Unknown'
    ) AS unknown_question
