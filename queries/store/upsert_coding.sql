-- Adds or replaces one analyst's verdict ($applies: the answer carries $code_id) on the response
-- at (import, row, question), with the keyword shown ($matched, NULL for an untagged answer).
-- Parameters: $consultation, $import_id, $source_row, $question_id, $code_id, $coder,
-- $applies, $matched, $coded_at.
INSERT OR REPLACE INTO tag_codings
SELECT
    consultation_id, respondent_id, question_id, md5(answer), $code_id, $coder, $applies,
    $matched, $coded_at
FROM responses
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
LIMIT 1
