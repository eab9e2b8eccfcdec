-- Removes every option chosen that one import brought. Parameters: $consultation, $import_id.
DELETE FROM response_options WHERE consultation_id = $consultation AND import_id = $import_id
