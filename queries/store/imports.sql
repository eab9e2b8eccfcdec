-- One row per import into a consultation, newest first: file, size, hash, platform, shape,
-- when, who, and its row counts. Parameters: $consultation.
SELECT
    import_id,
    file_name,
    file_size,
    content_hash,
    platform,
    shape,
    imported_at,
    imported_by,
    rows_read,
    rows_refused,
    respondents_loaded,
    responses_loaded
FROM imports
WHERE consultation_id = $consultation
ORDER BY import_id DESC
