-- One row: an analyst's decision on one code of one answer, if there is one (applied,
-- edited_by, edited_at), so that a change can be undone to exactly what was before.
-- Parameters: $consultation, $respondent_id, $question_id, $answer_hash, $code_id.
SELECT applied, edited_by, edited_at
FROM tag_edits
WHERE consultation_id = $consultation
    AND respondent_id = $respondent_id
    AND question_id = $question_id
    AND answer_hash = $answer_hash
    AND code_id = $code_id
