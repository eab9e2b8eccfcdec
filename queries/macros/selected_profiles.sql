-- One row per cube profile of a consultation (queries/store/insert_cube_profiles.sql) that
-- passes the respondent filters: every respondent of a profile passes them or none does.
-- Parameters (NULL means "no filter"): consultation; regions; countries (ISO3 or 'Unknown');
-- languages; stakeholder_types (see selected_respondents.sql).
CREATE OR REPLACE MACRO selected_profiles(
    consultation, regions, countries, languages, stakeholder_types
) AS TABLE
SELECT p.*
FROM cube_profiles AS p
WHERE p.consultation_id = consultation
    AND (regions IS NULL OR list_contains(regions, p.region))
    AND (countries IS NULL OR list_contains(countries, p.country))
    AND (languages IS NULL OR list_contains(languages, p.language))
    AND (stakeholder_types IS NULL OR list_contains(stakeholder_types, p.stakeholder_type))
