-- One row per value a sidebar filter can take for the consultation (field 'region', 'country',
-- 'language' or 'stakeholder_type'), with a label and how many respondents have it.
-- Parameters: $consultation.
SELECT field, value, label, count(*) AS respondents
FROM (
    SELECT 'region' AS field, r.region AS value, r.region AS label
    FROM respondents AS r WHERE r.consultation_id = $consultation
    UNION ALL
    SELECT 'country', coalesce(r.country_iso3, 'Unknown'), coalesce(k.name_en, 'Unknown')
    FROM respondents AS r LEFT JOIN countries AS k ON k.iso3 = r.country_iso3
    WHERE r.consultation_id = $consultation
    UNION ALL
    SELECT 'language', r.language, r.language
    FROM respondents AS r WHERE r.consultation_id = $consultation
    UNION ALL
    SELECT 'stakeholder_type', r.stakeholder_type, r.stakeholder_type
    FROM respondents AS r WHERE r.consultation_id = $consultation
)
GROUP BY ALL
ORDER BY field, label
