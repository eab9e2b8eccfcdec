-- One row per M49 region (all five, zero where none, and 'Unknown' where any respondent's country
-- was unrecognised or blank): respondents from it and their responses, with the sums mod 2^32 of
-- their record keys.
-- The cube's twin of queries/by_region.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counted AS (
    SELECT
        region,
        sum(respondents) AS respondents,
        sum(responses) AS responses,
        sum(respondent_key_sum) AS respondent_key_sum,
        sum(response_key_sum) AS response_key_sum
    FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
    GROUP BY region
),
regions AS (
    SELECT DISTINCT region FROM countries WHERE region <> ''
    UNION
    SELECT region FROM counted
)
SELECT
    g.region,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM regions AS g
LEFT JOIN counted AS c USING (region)
ORDER BY g.region = 'Unknown', g.region
