-- One row: the cube profile of the respondent of one answer (import, source row, question).
-- Parameters: $consultation, $import_id, $source_row, $question_id.
SELECT p.profile_id
FROM response_facts AS f
JOIN cube_respondents AS p
    ON p.consultation_id = f.consultation_id AND p.respondent_key = f.respondent_key
WHERE f.consultation_id = $consultation
    AND f.import_id = $import_id
    AND f.source_row = $source_row
    AND f.question_id = $question_id
