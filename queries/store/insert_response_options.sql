-- Adds one row per option chosen in a multi-column question, from the registered frame
-- `new_response_options`.
-- Parameters: $consultation, $import_id.
INSERT INTO response_options
SELECT
    $consultation AS consultation_id,
    $import_id AS import_id,
    source_row,
    respondent_id,
    question_id,
    option,
    position
FROM new_response_options
