-- One row per theme and M49 region with at least one response: responses, and respondents (those
-- from the region with at least one response in the theme), with the sums mod 2^32 of their record
-- keys.
-- The cube's twin of queries/theme_by_region.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    c.theme_id,
    p.region,
    sum(c.respondents)::BIGINT AS respondents,
    sum(c.responses)::BIGINT AS responses,
    (sum(c.respondent_key_sum) % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(c.response_key_sum) % 4294967296)::BIGINT AS response_key_sum
FROM cube_themes AS c
JOIN selected_profiles(
    $consultation, $regions, $countries, $languages, $stakeholder_types
) AS p ON p.profile_id = c.profile_id
WHERE c.consultation_id = $consultation
GROUP BY c.theme_id, p.region
ORDER BY c.theme_id, p.region
