-- Adds one code an analyst gave one response. Parameters: $consultation, $import_id,
-- $source_row, $question_id, $code_id.
INSERT INTO response_codes
VALUES ($consultation, $import_id, $source_row, $question_id, $code_id, 'analyst', NULL)
