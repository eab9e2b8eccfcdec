-- Adds one row per import and returns its new id.
-- Parameters: $consultation, $file_name, $file_size, $content_hash, $platform, $shape,
-- $imported_at, $imported_by, $rows_read, $rows_refused, $respondents_loaded,
-- $responses_loaded, $mapping_toml, $report (JSON text).
INSERT INTO imports (
    consultation_id, file_name, file_size, content_hash, platform, shape, imported_at,
    imported_by, rows_read, rows_refused, respondents_loaded, responses_loaded, mapping_toml,
    report
)
VALUES (
    $consultation, $file_name, $file_size, $content_hash, $platform, $shape, $imported_at,
    $imported_by, $rows_read, $rows_refused, $respondents_loaded, $responses_loaded,
    $mapping_toml, $report
)
RETURNING import_id
