-- One row per official UN language (all six, zero where none, in the order ar zh en fr ru es),
-- plus 'other' for every other language respondents used and 'und' for unknown ones where there
-- are any: respondents and their responses.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH un_languages AS (
    SELECT * FROM (
        VALUES ('ar', 1), ('zh', 2), ('en', 3), ('fr', 4), ('ru', 5), ('es', 6), ('other', 7),
            ('und', 8)
    ) AS u (language_group, position)
),
counted AS (
    SELECT
        r.respondent_key,
        coalesce(u.language_group, CASE WHEN r.language = 'und' THEN 'und' ELSE 'other' END)
            AS language_group
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS r
    LEFT JOIN un_languages AS u ON u.language_group = r.language AND u.position <= 6
),
answers AS (
    SELECT respondent_key, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
    GROUP BY respondent_key
)
SELECT
    u.language_group AS language,
    count(c.respondent_key) AS respondents,
    coalesce(sum(a.responses), 0)::BIGINT AS responses
FROM un_languages AS u
LEFT JOIN counted AS c USING (language_group)
LEFT JOIN answers AS a USING (respondent_key)
GROUP BY u.language_group, u.position
HAVING u.position <= 6 OR count(c.respondent_key) > 0
ORDER BY u.position
