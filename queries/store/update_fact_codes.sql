-- Sets the codes of one response's facts row from response_codes, after an analyst changed
-- them. Parameters: $consultation, $import_id,
-- $source_row, $question_id.
UPDATE response_facts
SET codes = coalesce(
    (
        SELECT list(t.code_id ORDER BY t.code_id)
        FROM response_codes AS t
        WHERE t.consultation_id = $consultation
            AND t.import_id = $import_id
            AND t.source_row = $source_row
            AND t.question_id = $question_id
    ),
    []
)
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
