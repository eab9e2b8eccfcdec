-- One row per value a sidebar filter can take for the consultation (field 'region', 'country',
-- 'language' or 'stakeholder_type'), with a label and how many respondents have it.
-- The cube's twin of queries/filter_options.sql: the same rows, from the cube's profiles.
-- Parameters: $consultation.
WITH profiles AS (
    SELECT * FROM cube_profiles WHERE consultation_id = $consultation
)
SELECT field, value, label, sum(respondents)::BIGINT AS respondents
FROM (
    SELECT 'region' AS field, p.region AS value, p.region AS label, p.respondents
    FROM profiles AS p
    UNION ALL
    SELECT 'country', p.country, coalesce(k.name_en, 'Unknown'), p.respondents
    FROM profiles AS p LEFT JOIN countries AS k ON k.iso3 = p.country_iso3
    UNION ALL
    SELECT 'language', p.language, p.language, p.respondents
    FROM profiles AS p
    UNION ALL
    SELECT 'stakeholder_type', p.stakeholder_type, p.stakeholder_type, p.respondents
    FROM profiles AS p
)
GROUP BY field, value, label
ORDER BY field, label
