-- Adds or replaces an analyst's decision on one code of one answer. Parameters:
-- $consultation, $respondent_id, $question_id, $answer_hash, $code_id, $applied, $edited_by,
-- $edited_at.
INSERT OR REPLACE INTO tag_edits VALUES (
    $consultation, $respondent_id, $question_id, $answer_hash, $code_id, $applied, $edited_by,
    $edited_at
)
