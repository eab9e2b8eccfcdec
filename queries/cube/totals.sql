-- One row per consultation: how many respondents and responses pass the filters.
-- The cube's twin of queries/totals.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    coalesce(sum(respondents), 0)::BIGINT AS respondents,
    coalesce(sum(responses), 0)::BIGINT AS responses
FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
