-- Adds one code a keyword ($matched) found in one response. Parameters: $consultation,
-- $import_id, $source_row, $question_id, $code_id, $matched.
INSERT INTO response_codes
VALUES ($consultation, $import_id, $source_row, $question_id, $code_id, 'keyword', $matched)
