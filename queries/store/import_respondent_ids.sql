-- One row per respondent id that one import named. Parameters: $consultation, $import_id.
SELECT DISTINCT respondent_id
FROM respondent_sources
WHERE consultation_id = $consultation AND import_id = $import_id
