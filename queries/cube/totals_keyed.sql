-- One row per consultation: how many respondents and responses pass the filters, and the sums of
-- their record keys, from which dashboard/protection/perturbation.py draws the noise of a filtered
-- figure.
-- The cube's twin of queries/totals_keyed.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    coalesce(sum(respondents), 0)::BIGINT AS respondents,
    (coalesce(sum(respondent_key_sum), 0) % 4294967296)::BIGINT AS respondent_key_sum,
    coalesce(sum(responses), 0)::BIGINT AS responses,
    (coalesce(sum(response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
