-- Adds one row per answer of the frame `new_responses` (pipeline.write_import: each answer with
-- its consultation, import, file and row, its search texts, its detected language and its
-- number), the text as written only where redaction changed it (`answer` reads it back, see
-- schema.sql). Numbers are given in the frame's order, which is the order the rows are written in
-- (schema.sql: response_key).
-- Parameters: none; the frame is given to the statement, not registered (queries.execute_on).
INSERT INTO responses (
    consultation_id, respondent_id, question_id, answer_redacted, answer_written, submitted_at,
    import_id, source_row, source_file, source_file_row, answer_search, answer_written_search,
    answer_language, response_key
)
SELECT
    consultation_id,
    respondent_id,
    question_id,
    answer_redacted,
    nullif(answer, answer_redacted) AS answer_written,
    submitted_at,
    import_id,
    source_row,
    source_file,
    source_file_row,
    answer_search,
    answer_written_search,
    answer_language,
    response_key
FROM new_responses
