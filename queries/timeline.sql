-- One row per time bin (start of the $bin, 'day' or 'hour', as local time in zone $tz) and
-- series ($split: 'language', 'region' or anything else for one series 'All') in which a
-- response or a respondent arrived: responses by their time, respondents by their own
-- (earliest) submission time. Times that could not be read are left out here; by_period
-- counts them as 'unknown'.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $bin, $split.
-- Counted first by quarter hour (every time zone's offset is whole quarters), then those few
-- quarters are put in local bins: time zones are converted per quarter, not per row.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH respondent_quarters AS (
    SELECT
        epoch(submitted_at)::BIGINT // 900 AS quarter,
        CASE $split WHEN 'language' THEN language WHEN 'region' THEN region ELSE 'All' END
            AS series,
        count(*) AS respondents,
        sum(record_key)::HUGEINT AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    WHERE submitted_at IS NOT NULL
    GROUP BY ALL
),
response_quarters AS (
    SELECT
        epoch(submitted_at)::BIGINT // 900 AS quarter,
        CASE $split WHEN 'language' THEN language WHEN 'region' THEN region ELSE 'All' END
            AS series,
        count(*) AS responses,
        sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    WHERE submitted_at IS NOT NULL
    GROUP BY ALL
),
respondent_bins AS (
    SELECT
        date_trunc($bin, timezone($tz, to_timestamp(quarter * 900))) AS bin_start,
        series,
        sum(respondents) AS respondents,
        sum(respondent_key_sum) AS respondent_key_sum
    FROM respondent_quarters
    GROUP BY ALL
),
response_bins AS (
    SELECT
        date_trunc($bin, timezone($tz, to_timestamp(quarter * 900))) AS bin_start,
        series,
        sum(responses) AS responses,
        sum(response_key_sum) AS response_key_sum
    FROM response_quarters
    GROUP BY ALL
)
SELECT
    bin_start,
    series,
    coalesce(r.respondents, 0)::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(r.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM respondent_bins AS r
FULL JOIN response_bins AS a USING (bin_start, series)
ORDER BY bin_start, series
