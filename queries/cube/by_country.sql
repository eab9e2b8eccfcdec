-- One row per country with at least one counted respondent (ISO3, or 'Unknown' for blank and
-- unrecognised countries), with its name, M49 region and sub-region, UN regional group, and its
-- respondents and their responses, with the sums mod 2^32 of their record keys.
-- The cube's twin of queries/by_country.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counted AS (
    SELECT
        country AS iso3,
        sum(respondents) AS respondents,
        sum(responses) AS responses,
        sum(respondent_key_sum) AS respondent_key_sum,
        sum(response_key_sum) AS response_key_sum
    FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
    GROUP BY country
)
SELECT
    c.iso3,
    coalesce(k.name_en, 'Unknown') AS country,
    coalesce(nullif(k.region, ''), 'Unknown') AS region,
    coalesce(nullif(k.subregion, ''), 'Unknown') AS subregion,
    coalesce(nullif(k.un_group, ''), 'No regional group') AS un_group,
    c.respondents::BIGINT AS respondents,
    c.responses::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM counted AS c
LEFT JOIN countries AS k USING (iso3)
ORDER BY respondents DESC, country
