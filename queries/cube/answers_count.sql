-- One row: how many responses, and from how many respondents, match the filters (with no word
-- search), and the sums mod 2^32 of their record keys.
-- The cube's twin of queries/answers_count.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    coalesce(sum(responses), 0)::BIGINT AS responses,
    coalesce(sum(answering), 0)::BIGINT AS respondents,
    (coalesce(sum(answering_key_sum), 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(sum(response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
