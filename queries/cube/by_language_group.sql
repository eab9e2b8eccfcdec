-- One row per official UN language (all six, zero where none, in the order ar zh en fr ru es), plus
-- 'other' for every other language respondents used and 'und' for unknown ones where there are any:
-- respondents and their responses, with the sums mod 2^32 of their record keys.
-- The cube's twin of queries/by_language_group.sql, for respondent filters only (no theme,
-- question, code, date or search filter): the same rows, columns and figures, from the cube
-- (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH un_languages AS (
    SELECT * FROM (
        VALUES ('ar', 1), ('zh', 2), ('en', 3), ('fr', 4), ('ru', 5), ('es', 6), ('other', 7),
            ('und', 8)
    ) AS u (language_group, position)
),
counted AS (
    SELECT
        coalesce(u.language_group, CASE WHEN p.language = 'und' THEN 'und' ELSE 'other' END)
            AS language_group,
        sum(p.respondents) AS respondents,
        sum(p.responses) AS responses,
        sum(p.respondent_key_sum) AS respondent_key_sum,
        sum(p.response_key_sum) AS response_key_sum
    FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types) AS p
    LEFT JOIN un_languages AS u ON u.language_group = p.language AND u.position <= 6
    GROUP BY ALL
)
SELECT
    u.language_group AS language,
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM un_languages AS u
LEFT JOIN counted AS c USING (language_group)
WHERE u.position <= 6 OR coalesce(c.respondents, 0) > 0
ORDER BY u.position
