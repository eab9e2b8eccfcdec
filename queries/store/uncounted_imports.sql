-- One row per import of a consultation whose answers are stored but not yet tagged and
-- counted, oldest first: its number, file, when and how many answers the figures leave out.
-- Parameters: $consultation.
SELECT i.import_id, i.file_name, i.imported_at, i.responses_loaded
FROM imports AS i
SEMI JOIN uncounted_imports AS u ON u.import_id = i.import_id
WHERE i.consultation_id = $consultation
ORDER BY i.import_id
