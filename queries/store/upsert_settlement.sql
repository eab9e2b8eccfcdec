-- Adds or replaces the settled verdict ($applies) on whether the response at (import, row,
-- question) carries $code_id, after analysts disagreed. Parameters: $consultation, $import_id,
-- $source_row, $question_id, $code_id, $applies, $settled_by, $settled_at.
INSERT OR REPLACE INTO tag_settlements
SELECT
    consultation_id, respondent_id, question_id, md5(answer), $code_id, $applies, $settled_by,
    $settled_at
FROM responses
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
LIMIT 1
