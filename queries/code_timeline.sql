-- One row per day (local date in zone $tz) and code with at least one tagged response: the
-- responses carrying the code that arrived that day, and their respondents (those with at
-- least one such response that day). Times that could not be read are left out.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH per_respondent AS (
    SELECT bin_start, code_id, respondent_key, record_key, count(*) AS responses
    FROM (
        SELECT
            date_trunc('day', timezone($tz, s.submitted_at)) AS bin_start,
            unnest(s.codes) AS code_id,
            s.respondent_key,
            s.record_key
        FROM selected_responses(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        ) AS s
        WHERE s.submitted_at IS NOT NULL
    )
    WHERE $codes IS NULL OR list_contains($codes, code_id)
    GROUP BY ALL
)
SELECT
    bin_start,
    code_id AS series,
    count(*) AS respondents,
    sum(responses)::BIGINT AS responses,
    (sum(record_key)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(record_key::HUGEINT * responses) % 4294967296)::BIGINT AS response_key_sum
FROM per_respondent
GROUP BY bin_start, code_id
ORDER BY bin_start, series
