-- One row: the time from which an answer listing must read the answers to show its page, or
-- NULL to read them all (see queries/answers_from.sql).
-- The cube's twin of queries/answers_from.sql, for respondent filters only (no theme,
-- question, code, date, answer language or search filter): the same row, from the cube's
-- responses per listed profile (macros/listed_profiles.sql) and quarter hour (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $tz, $k,
-- $page_size, $offset.
WITH listed AS (
    SELECT profile_id
    FROM listed_profiles($consultation, $regions, $countries, $languages, $stakeholder_types, $k)
),
quarters AS (
    SELECT q.quarter, sum(q.responses) AS responses
    FROM cube_quarters AS q
    JOIN listed USING (profile_id)
    WHERE q.consultation_id = $consultation AND q.quarter IS NOT NULL AND q.responses > 0
    GROUP BY q.quarter
),
days AS (
    SELECT
        timezone($tz, to_timestamp(quarter * 900))::DATE AS day,
        min(quarter) AS first_quarter,
        sum(responses) AS responses
    FROM quarters
    GROUP BY day
),
reach AS (
    SELECT
        day,
        first_quarter,
        sum(responses) OVER (ORDER BY day DESC ROWS UNBOUNDED PRECEDING) AS listed_to_here
    FROM days
)
SELECT to_timestamp(max_by(first_quarter, day) * 900) AS listed_from
FROM reach
WHERE listed_to_here >= $offset + $page_size
