-- Adds one row per answer of the registered frame `new_responses`.
-- Parameters: $consultation, $import_id.
INSERT INTO responses
SELECT
    $consultation AS consultation_id,
    respondent_id,
    question_id,
    answer,
    answer_redacted,
    submitted_at,
    $import_id AS import_id,
    source_row
FROM new_responses
