-- Removes every response one import brought. Parameters: $consultation, $import_id.
DELETE FROM responses WHERE consultation_id = $consultation AND import_id = $import_id
