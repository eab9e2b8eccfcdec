-- Adds every answer of the set-aside table (queries/store/set_aside_responses.sql) to
-- responses, in the order they were stored, the text as written kept only where redaction
-- changed it; columns the old table lacks are left empty, for the store to fill.
-- Parameters: none.
INSERT INTO responses BY NAME
SELECT * EXCLUDE (answer), nullif(answer, answer_redacted) AS answer_written
FROM responses_set_aside
