-- Removes the codes of every response of the consultation, or of one import when $import_id
-- is not NULL. Parameters: $consultation, $import_id.
DELETE FROM response_codes
WHERE consultation_id = $consultation
    AND ($import_id IS NULL OR import_id = $import_id)
