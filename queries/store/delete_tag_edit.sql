-- Removes an analyst's decision on one code of one answer (undoing the first decision on
-- it, so keywords decide again). Parameters: $consultation, $respondent_id, $question_id,
-- $answer_hash, $code_id.
DELETE FROM tag_edits
WHERE consultation_id = $consultation
    AND respondent_id = $respondent_id
    AND question_id = $question_id
    AND answer_hash = $answer_hash
    AND code_id = $code_id
