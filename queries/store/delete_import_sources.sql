-- Removes every respondent source row one import brought. Parameters: $consultation,
-- $import_id.
DELETE FROM respondent_sources WHERE consultation_id = $consultation AND import_id = $import_id
