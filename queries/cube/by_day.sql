-- One row per calendar day in zone $tz on which anything arrived ('Unknown' for times that could
-- not be read): respondents by their submission time and responses by theirs, with the sums mod
-- 2^32 of their record keys.
-- The cube's twin of queries/by_day.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $tz.
-- The cube counts by quarter hour (every time zone's offset is whole quarters): those few quarters
-- are read as local days.
WITH quarters AS (
    SELECT
        c.quarter,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_quarters AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
    GROUP BY c.quarter
)
SELECT
    coalesce(strftime(timezone($tz, to_timestamp(quarter * 900)), '%Y-%m-%d'), 'Unknown') AS day,
    coalesce(sum(respondents), 0)::BIGINT AS respondents,
    coalesce(sum(responses), 0)::BIGINT AS responses,
    (coalesce(sum(respondent_key_sum), 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(sum(response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM quarters
GROUP BY day
ORDER BY day = 'Unknown', day
