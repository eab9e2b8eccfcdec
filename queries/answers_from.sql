-- One row: the time from which an answer listing (queries/answers.sql, newest day first) must
-- read the answers to show its page of $page_size rows from $offset, or NULL to read them all:
-- the start of the first quarter hour of the latest day (in zone $tz) on and after which the
-- listing has at least $offset + $page_size answers. Every answer of that page is from that day
-- or later; answers.sql, given it as $listed_from, leaves the older ones unread and shows the
-- same page. NULL when the listing has fewer answers with a time (answers without one come
-- last). Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types,
-- $themes, $questions, $codes, $date_from, $date_to, $tz, $k, $page_size, $offset,
-- $answer_languages (as answers.sql; no word search: the bound would need its matches).
-- Counted by quarter hour (every time zone's offset is whole quarters), and those few quarters
-- put in local days: time zones are converted per quarter, not per answer.
WITH quarters AS (
    SELECT epoch(submitted_at)::BIGINT // 900 AS quarter, count(*) AS responses
    FROM listed_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
    )
    WHERE submitted_at IS NOT NULL
    GROUP BY quarter
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
