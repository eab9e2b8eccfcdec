-- Removes one code from one response. Parameters: $consultation, $import_id, $source_row,
-- $question_id, $code_id.
DELETE FROM response_codes
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
    AND code_id = $code_id
