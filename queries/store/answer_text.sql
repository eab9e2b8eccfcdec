-- One row: the answer as written at (import, row, question), the text keywords match.
-- Parameters: $consultation, $import_id, $source_row, $question_id.
SELECT answer
FROM responses
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
LIMIT 1
