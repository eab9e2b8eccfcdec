-- One row per day (local date in zone $tz) and code with at least one tagged response: the
-- responses carrying the code that arrived that day, and their respondents (those with at
-- least one such response that day). Times that could not be read are left out.
-- With the sums of the counted records' keys (respondent_key_sum, response_key_sum) from
-- which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
SELECT
    date_trunc('day', timezone($tz, submitted_at)) AS bin_start,
    code_id AS series,
    count(DISTINCT respondent_key) AS respondents,
    count(*) AS responses,
    sum(DISTINCT respondent_key::HUGEINT * 4294967296 + record_key) AS respondent_key_sum,
    sum(record_key)::HUGEINT AS response_key_sum
FROM (
    SELECT unnest(s.codes) AS code_id, s.submitted_at, s.respondent_key, s.record_key
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS s
    WHERE s.submitted_at IS NOT NULL
)
WHERE $codes IS NULL OR list_contains($codes, code_id)
GROUP BY ALL
ORDER BY bin_start, series
