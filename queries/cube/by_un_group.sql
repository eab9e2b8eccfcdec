-- One row per UN regional group (all five, zero where none; 'No regional group' for observer states
-- and territories; 'Unknown' for blank and unrecognised countries), with respondents and their
-- responses, with the sums mod 2^32 of their record keys.
-- The cube's twin of queries/by_un_group.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counted AS (
    SELECT
        CASE
            WHEN p.country_iso3 IS NULL THEN 'Unknown'
            ELSE coalesce(nullif(k.un_group, ''), 'No regional group')
        END AS un_group,
        sum(p.respondents) AS respondents,
        sum(p.responses) AS responses,
        sum(p.respondent_key_sum) AS respondent_key_sum,
        sum(p.response_key_sum) AS response_key_sum
    FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types) AS p
    LEFT JOIN countries AS k ON k.iso3 = p.country_iso3
    GROUP BY ALL
),
groups AS (
    SELECT DISTINCT un_group FROM countries WHERE un_group <> ''
    UNION
    SELECT un_group FROM counted
)
SELECT
    g.un_group,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM groups AS g
LEFT JOIN counted AS c USING (un_group)
ORDER BY g.un_group IN ('No regional group', 'Unknown'), g.un_group
