-- Removes the pin of the response at (import, row, question) as a quote of subject $subject of
-- kind $kind. Parameters: $consultation, $import_id, $source_row, $question_id, $kind, $subject.
DELETE FROM quote_pins
WHERE consultation_id = $consultation
    AND kind = $kind
    AND subject_id = $subject
    AND EXISTS (
        SELECT 1
        FROM responses AS r
        WHERE r.consultation_id = $consultation
            AND r.import_id = $import_id
            AND r.source_row = $source_row
            AND r.question_id = $question_id
            AND r.respondent_id = quote_pins.respondent_id
            AND r.question_id = quote_pins.question_id
            AND md5(r.answer) = quote_pins.answer_hash
    )
