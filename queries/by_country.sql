-- One row per country with at least one counted respondent (ISO3, or 'Unknown' for blank and
-- unrecognised countries), with its name, M49 region and sub-region, UN regional group, and its
-- respondents and their responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH counted AS (
    SELECT respondent_key, record_key, coalesce(country_iso3, 'Unknown') AS iso3
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
),
answered AS (
    SELECT
        coalesce(country_iso3, 'Unknown') AS iso3,
        count(*) AS responses,
        sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY ALL
)
SELECT
    c.iso3,
    coalesce(any_value(k.name_en), 'Unknown') AS country,
    coalesce(nullif(any_value(k.region), ''), 'Unknown') AS region,
    coalesce(nullif(any_value(k.subregion), ''), 'Unknown') AS subregion,
    coalesce(nullif(any_value(k.un_group), ''), 'No regional group') AS un_group,
    count(*) AS respondents,
    coalesce(any_value(a.responses), 0) AS responses,
    (coalesce(sum(c.record_key), 0)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(any_value(a.response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM counted AS c
LEFT JOIN countries AS k USING (iso3)
LEFT JOIN answered AS a USING (iso3)
GROUP BY c.iso3
ORDER BY respondents DESC, country
