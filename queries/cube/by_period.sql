-- One row per period against the consultation window ('before', 'during', 'after', and 'unknown'
-- where some time could not be read): respondents by their submission time, responses by theirs,
-- with the sums mod 2^32 of their record keys. Periods with nothing in them still appear, except
-- 'unknown'.
-- The cube's twin of queries/by_period.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counts AS (
    SELECT
        c.period,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_periods AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
    GROUP BY c.period
),
periods AS (
    SELECT * FROM (VALUES ('before', 1), ('during', 2), ('after', 3), ('unknown', 4))
        AS p (period, position)
)
SELECT
    p.period,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM periods AS p
LEFT JOIN counts AS c USING (period)
WHERE p.period <> 'unknown' OR c.respondents > 0 OR c.responses > 0
ORDER BY p.position
