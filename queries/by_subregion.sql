-- One row per M49 sub-region with at least one counted respondent ('Unknown' for blank and
-- unrecognised countries), with its region, respondents and their responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH counted AS (
    SELECT respondent_key, record_key, region, subregion
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
),
answered AS (
    SELECT subregion, count(*) AS responses, sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY subregion
)
SELECT
    c.subregion,
    c.region,
    count(*) AS respondents,
    coalesce(any_value(a.responses), 0) AS responses,
    (coalesce(sum(c.record_key), 0)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(any_value(a.response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM counted AS c
LEFT JOIN answered AS a USING (subregion)
GROUP BY c.subregion, c.region
ORDER BY c.region = 'Unknown', c.region, respondents DESC, c.subregion
