-- Adds or replaces an analyst's judgement of the automatic tag `code_id` (found by `matched`)
-- on the response at (import, row, question). Parameters: $consultation, $import_id,
-- $source_row, $question_id, $code_id, $matched, $correct, $judged_by, $judged_at.
INSERT OR REPLACE INTO tag_judgements
SELECT
    consultation_id, respondent_id, question_id, md5(answer), $code_id, $matched, $correct,
    $judged_by, $judged_at
FROM responses
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
LIMIT 1
