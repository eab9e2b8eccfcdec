-- Adds one row per respondent of the consultation (from respondent_facts, built first) with
-- their profile: profiles number the distinct (region, sub-region, country, language,
-- stakeholder type) of the consultation's respondents. Parameters: $consultation.
INSERT INTO cube_respondents
WITH profiles AS (
    SELECT DISTINCT region, subregion, country, country_iso3, language, stakeholder_type
    FROM respondent_facts
    WHERE consultation_id = $consultation
),
numbered AS (
    SELECT
        *,
        row_number() OVER (
            ORDER BY region, subregion, country, country_iso3, language, stakeholder_type
        )::INTEGER AS profile_id
    FROM profiles
)
SELECT r.consultation_id, r.respondent_key, n.profile_id
FROM respondent_facts AS r
JOIN numbered AS n
    ON n.region = r.region
    AND n.subregion = r.subregion
    AND n.country = r.country
    AND n.country_iso3 IS NOT DISTINCT FROM r.country_iso3
    AND n.language = r.language
    AND n.stakeholder_type = r.stakeholder_type
WHERE r.consultation_id = $consultation
