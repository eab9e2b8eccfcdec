-- Removes one import from the uncounted ones, once it is tagged and counted or undone.
-- Parameters: $consultation, $import_id.
DELETE FROM uncounted_imports WHERE consultation_id = $consultation AND import_id = $import_id
