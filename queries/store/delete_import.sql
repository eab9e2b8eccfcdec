-- Removes one import's record (after its rows). Parameters: $consultation, $import_id.
DELETE FROM imports WHERE consultation_id = $consultation AND import_id = $import_id
