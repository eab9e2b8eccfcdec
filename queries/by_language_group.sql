-- One row per official UN language (all six, zero where none, in the order ar zh en fr ru es),
-- plus 'other' for every other language respondents used and 'und' for unknown ones where there
-- are any: respondents and their responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH un_languages AS (
    SELECT * FROM (
        VALUES ('ar', 1), ('zh', 2), ('en', 3), ('fr', 4), ('ru', 5), ('es', 6), ('other', 7),
            ('und', 8)
    ) AS u (language_group, position)
),
counted AS (
    SELECT
        coalesce(u.language_group, CASE WHEN r.language = 'und' THEN 'und' ELSE 'other' END)
            AS language_group,
        count(*) AS respondents,
        sum(r.record_key)::HUGEINT AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS r
    LEFT JOIN un_languages AS u ON u.language_group = r.language AND u.position <= 6
    GROUP BY ALL
),
-- A response carries its respondent's language: grouped as it is, not per respondent.
answers AS (
    SELECT
        coalesce(u.language_group, CASE WHEN f.language = 'und' THEN 'und' ELSE 'other' END)
            AS language_group,
        count(*) AS responses,
        sum(f.record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS f
    LEFT JOIN un_languages AS u ON u.language_group = f.language AND u.position <= 6
    GROUP BY ALL
)
SELECT
    u.language_group AS language,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(a.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM un_languages AS u
LEFT JOIN counted AS c USING (language_group)
LEFT JOIN answers AS a USING (language_group)
WHERE u.position <= 6 OR coalesce(c.respondents, 0) > 0
ORDER BY u.position
