-- One row per response of the consultation, or of one import when $import_id is not NULL:
-- where it is (import, row, question) and its answer as written, the text keywords are
-- matched against. Parameters: $consultation, $import_id.
SELECT import_id, source_row, question_id, answer
FROM responses
WHERE consultation_id = $consultation
    AND ($import_id IS NULL OR import_id = $import_id)
