-- One row: the time from which an answer listing must read the answers to show its page, or
-- NULL to read them all (see queries/answers_from.sql).
-- The cube's twin of queries/answers_from.sql, for respondent filters only (no theme,
-- question, code, date, answer language or search filter): the same row, from the cube's
-- responses per profile and quarter hour (schema.sql). Whether a listing shows a response
-- depends only on its respondent's country and stakeholder type (macros/listing_places.sql),
-- which a profile fixes: a profile's responses are all listed or none are.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $tz, $k,
-- $page_size, $offset.
WITH places AS (
    SELECT * FROM listing_places($consultation, $k)
),
listed AS (
    SELECT p.profile_id
    FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
        AS p
    JOIN places AS c ON c.field = 'country' AND c.value = p.country
    JOIN places AS t ON t.field = 'stakeholder_type' AND t.value = p.stakeholder_type
    WHERE c.listed
        AND ($countries IS NULL OR c.shown)
        AND ($regions IS NULL OR c.shown OR c.pool IS NOT NULL)
        AND ($stakeholder_types IS NULL OR (t.shown AND t.safe_pool))
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
