-- Adds one row per answer of the registered frame `new_responses`, with the file and row it came
-- from, its search texts and its detected language; the text as written only where redaction
-- changed it (`answer` reads it back, see schema.sql) and its number (schema.sql: response_key;
-- given in the frame's order, which is the order the rows are written in).
-- Parameters: $consultation, $import_id.
INSERT INTO responses (
    consultation_id, respondent_id, question_id, answer_redacted, answer_written, submitted_at,
    import_id, source_row, source_file, source_file_row, answer_search, answer_written_search,
    answer_language, response_key
)
SELECT
    $consultation AS consultation_id,
    respondent_id,
    question_id,
    answer_redacted,
    nullif(answer, answer_redacted) AS answer_written,
    submitted_at,
    $import_id AS import_id,
    source_row,
    source_file,
    source_file_row,
    answer_search,
    answer_written_search,
    answer_language,
    response_key
FROM new_responses
