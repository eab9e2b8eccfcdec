-- One row per UN regional group (all five, zero where none; 'No regional group' for observer
-- states and territories; 'Unknown' for blank and unrecognised countries), with respondents and
-- their responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH counted AS (
    SELECT
        CASE
            WHEN r.country_iso3 IS NULL THEN 'Unknown'
            ELSE coalesce(nullif(k.un_group, ''), 'No regional group')
        END AS un_group,
        count(*) AS respondents,
        sum(r.record_key)::HUGEINT AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS r
    LEFT JOIN countries AS k ON k.iso3 = r.country_iso3
    GROUP BY ALL
),
-- A response carries its respondent's country: grouped as it is, not per respondent.
answers AS (
    SELECT
        CASE
            WHEN f.country_iso3 IS NULL THEN 'Unknown'
            ELSE coalesce(nullif(k.un_group, ''), 'No regional group')
        END AS un_group,
        count(*) AS responses,
        sum(f.record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS f
    LEFT JOIN countries AS k ON k.iso3 = f.country_iso3
    GROUP BY ALL
),
groups AS (
    SELECT DISTINCT un_group FROM countries WHERE un_group <> ''
    UNION
    SELECT un_group FROM counted
)
SELECT
    g.un_group,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM groups AS g
LEFT JOIN counted AS c USING (un_group)
LEFT JOIN answers AS a USING (un_group)
ORDER BY g.un_group IN ('No regional group', 'Unknown'), g.un_group
