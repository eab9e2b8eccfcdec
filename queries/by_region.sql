-- One row per M49 region (all five, zero where none, and 'Unknown' where any respondent's
-- country was unrecognised or blank): respondents from it and their responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH counted AS (
    SELECT respondent_key, record_key, region
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
),
answered AS (
    SELECT region, count(*) AS responses, sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY region
),
regions AS (
    SELECT DISTINCT region FROM countries WHERE region <> ''
    UNION
    SELECT DISTINCT region FROM counted
)
SELECT
    g.region,
    count(c.respondent_key) AS respondents,
    coalesce(any_value(a.responses), 0) AS responses,
    (coalesce(sum(c.record_key), 0)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(any_value(a.response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM regions AS g
LEFT JOIN counted AS c USING (region)
LEFT JOIN answered AS a USING (region)
GROUP BY g.region
ORDER BY g.region = 'Unknown', g.region
