-- Adds the temporary table `affected_respondents`: one row per respondent one import names (its
-- respondent_sources), whose profiles and facts that import or its undo makes again
-- (store/scope_affected_respondents.sql). Parameters: $consultation, $import_id.
CREATE OR REPLACE TEMPORARY TABLE affected_respondents AS
SELECT DISTINCT respondent_id
FROM respondent_sources
WHERE consultation_id = $consultation AND import_id = $import_id
