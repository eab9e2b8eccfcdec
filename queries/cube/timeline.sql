-- One row per time bin (start of the $bin, 'day' or 'hour', as local time in zone $tz) and series
-- ($split: 'language', 'region' or anything else for one series 'All') in which a response or a
-- respondent arrived: responses by their time, respondents by their own (earliest) submission time,
-- with the sums mod 2^32 of their record keys. Times that could not be read are left out.
-- The cube's twin of queries/timeline.sql, for respondent filters only (no theme, question, code,
-- date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $tz, $bin,
-- $split.
-- The cube counts by quarter hour (every time zone's offset is whole quarters): those few quarters
-- are put in local bins.
WITH quarters AS (
    SELECT
        c.quarter,
        CASE $split WHEN 'language' THEN p.language WHEN 'region' THEN p.region ELSE 'All' END
            AS series,
        sum(c.respondents) AS respondents,
        sum(c.responses) AS responses,
        sum(c.respondent_key_sum) AS respondent_key_sum,
        sum(c.response_key_sum) AS response_key_sum
    FROM cube_quarters AS c
    JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation AND c.quarter IS NOT NULL
    GROUP BY ALL
)
SELECT
    date_trunc($bin, timezone($tz, to_timestamp(quarter * 900))) AS bin_start,
    series,
    coalesce(sum(respondents), 0)::BIGINT AS respondents,
    coalesce(sum(responses), 0)::BIGINT AS responses,
    (coalesce(sum(respondent_key_sum), 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(sum(response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM quarters
GROUP BY ALL
ORDER BY bin_start, series
