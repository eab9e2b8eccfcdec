-- One row per calendar day in zone $tz on which anything arrived ('Unknown' for times that
-- could not be read): respondents by their submission time and responses by theirs.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted first by quarter hour (every time zone's offset is whole quarters), then those few
-- quarters are read as local days: time zones are converted per quarter, not per row.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH respondent_quarters AS (
    SELECT epoch(submitted_at)::BIGINT // 900 AS quarter, count(*) AS respondents,
        sum(record_key)::HUGEINT AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY ALL
),
response_quarters AS (
    SELECT epoch(submitted_at)::BIGINT // 900 AS quarter, count(*) AS responses,
        sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY ALL
),
respondent_days AS (
    SELECT
        coalesce(strftime(timezone($tz, to_timestamp(quarter * 900)), '%Y-%m-%d'), 'Unknown')
            AS day,
        sum(respondents) AS respondents,
        sum(respondent_key_sum) AS respondent_key_sum
    FROM respondent_quarters
    GROUP BY ALL
),
response_days AS (
    SELECT
        coalesce(strftime(timezone($tz, to_timestamp(quarter * 900)), '%Y-%m-%d'), 'Unknown')
            AS day,
        sum(responses) AS responses,
        sum(response_key_sum) AS response_key_sum
    FROM response_quarters
    GROUP BY ALL
)
SELECT
    day,
    coalesce(r.respondents, 0)::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(r.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM respondent_days AS r
FULL JOIN response_days AS a USING (day)
ORDER BY day = 'Unknown', day
