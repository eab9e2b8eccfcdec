-- One row per M49 sub-region with at least one counted respondent ('Unknown' for blank and
-- unrecognised countries), with its region, respondents and their responses.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH counted AS (
    SELECT respondent_key, region, subregion
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
),
answered AS (
    SELECT subregion, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
    GROUP BY subregion
)
SELECT
    c.subregion,
    c.region,
    count(*) AS respondents,
    coalesce(any_value(a.responses), 0) AS responses
FROM counted AS c
LEFT JOIN answered AS a USING (subregion)
GROUP BY c.subregion, c.region
ORDER BY c.region = 'Unknown', c.region, respondents DESC
