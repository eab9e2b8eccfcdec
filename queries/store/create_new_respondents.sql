-- Adds the temporary table `new_respondents`: one row per respondent of the import being
-- written, from the frame `import_respondents` (pipeline.RESPONDENT_COLUMNS), with the store's
-- types (a column the file left empty would otherwise come without one). Held by DuckDB, within
-- its memory limit and spilled beyond it, rather than by pandas until the commit (1.9 million
-- respondents at ten million answers). Parameters: none.
CREATE OR REPLACE TEMPORARY TABLE new_respondents AS
SELECT
    respondent_id::VARCHAR AS respondent_id,
    submitted_at::TIMESTAMPTZ AS submitted_at,
    country_raw::VARCHAR AS country_raw,
    country_iso3::VARCHAR AS country_iso3,
    region::VARCHAR AS region,
    subregion::VARCHAR AS subregion,
    language_raw::VARCHAR AS language_raw,
    language::VARCHAR AS language,
    stakeholder_type::VARCHAR AS stakeholder_type
FROM import_respondents
