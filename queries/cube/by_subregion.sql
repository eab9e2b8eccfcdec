-- One row per M49 sub-region with at least one counted respondent ('Unknown' for blank and
-- unrecognised countries), with its region, respondents and their responses, with the sums mod 2^32
-- of their record keys.
-- The cube's twin of queries/by_subregion.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH profiles AS (
    SELECT * FROM selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    )
),
counted AS (
    SELECT
        subregion,
        region,
        sum(respondents) AS respondents,
        sum(respondent_key_sum) AS respondent_key_sum
    FROM profiles
    GROUP BY subregion, region
),
-- Responses by sub-region alone, as the original joins them.
answered AS (
    SELECT subregion, sum(responses) AS responses, sum(response_key_sum) AS response_key_sum
    FROM profiles
    GROUP BY subregion
)
SELECT
    c.subregion,
    c.region,
    c.respondents::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM counted AS c
LEFT JOIN answered AS a USING (subregion)
ORDER BY c.region = 'Unknown', c.region, respondents DESC, c.subregion
