-- Adds one row per option chosen in a multi-column question, from the frame
-- `new_response_options` (each with its consultation and import).
-- Parameters: none; the frame is given to the statement, not registered (queries.execute_on).
INSERT INTO response_options
SELECT
    consultation_id,
    import_id,
    source_row,
    respondent_id,
    question_id,
    option,
    position
FROM new_response_options
