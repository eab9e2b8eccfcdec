-- One row per period against the consultation window ('before', 'during', 'after', and
-- 'unknown' where some time could not be read): respondents by their submission time, responses
-- by theirs. Periods with nothing in them still appear, except 'unknown'.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH respondent_counts AS (
    SELECT period, count(*) AS respondents, sum(record_key)::HUGEINT AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY period
),
response_counts AS (
    SELECT period, count(*) AS responses, sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY period
),
periods AS (
    SELECT * FROM (VALUES ('before', 1), ('during', 2), ('after', 3), ('unknown', 4))
        AS p (period, position)
)
SELECT
    p.period,
    coalesce(rc.respondents, 0) AS respondents,
    coalesce(ac.responses, 0) AS responses,
    (coalesce(rc.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(ac.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM periods AS p
LEFT JOIN respondent_counts AS rc USING (period)
LEFT JOIN response_counts AS ac USING (period)
WHERE p.period <> 'unknown' OR rc.respondents > 0 OR ac.responses > 0
ORDER BY p.position
