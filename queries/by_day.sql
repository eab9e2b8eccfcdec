-- One row per calendar day in zone $tz on which anything arrived ('Unknown' for times that
-- could not be read): respondents by their submission time and responses by theirs.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH respondent_days AS (
    SELECT
        coalesce(strftime(timezone($tz, submitted_at), '%Y-%m-%d'), 'Unknown') AS day,
        count(*) AS respondents
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
    GROUP BY ALL
),
response_days AS (
    SELECT
        coalesce(strftime(timezone($tz, submitted_at), '%Y-%m-%d'), 'Unknown') AS day,
        count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
    GROUP BY ALL
)
SELECT
    day,
    coalesce(r.respondents, 0) AS respondents,
    coalesce(a.responses, 0) AS responses
FROM respondent_days AS r
FULL JOIN response_days AS a USING (day)
ORDER BY day = 'Unknown', day
