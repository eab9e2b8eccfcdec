-- One row per earlier import of the same file bytes into this consultation (zero or one).
-- Parameters: $consultation, $content_hash.
SELECT import_id, file_name, imported_at
FROM imports
WHERE consultation_id = $consultation AND content_hash = $content_hash
