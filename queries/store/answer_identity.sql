-- One row: who wrote the response at (import, row, question) and the md5 of its
-- answer, the names an analyst's decision is kept under. Parameters: $consultation,
-- $import_id, $source_row, $question_id.
SELECT respondent_id, md5(answer) AS answer_hash
FROM responses
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
LIMIT 1
