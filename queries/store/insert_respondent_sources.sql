-- Adds one row per respondent of the temporary table `new_respondents`, as this import says.
-- Parameters: $consultation, $import_id.
INSERT INTO respondent_sources
SELECT
    $consultation AS consultation_id,
    respondent_id,
    $import_id AS import_id,
    submitted_at,
    country_raw,
    country_iso3,
    region,
    subregion,
    language_raw,
    language,
    stakeholder_type
FROM new_respondents
