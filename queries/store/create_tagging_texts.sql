-- Adds the temporary table `tagging_texts`: one row per distinct answer text of the
-- consultation, or of one import when $import_id is not NULL, numbered from 0, with how many
-- answers read so. Each text is matched against the codebook once, however often it was
-- written (queries/store/insert_response_codes.sql spreads its codes over those answers).
-- Parameters: $consultation, $import_id.
CREATE OR REPLACE TEMPORARY TABLE tagging_texts AS
SELECT row_number() OVER () - 1 AS text_id, answer, answers
FROM (
    SELECT answer, count(*) AS answers
    FROM responses
    WHERE consultation_id = $consultation
        AND ($import_id IS NULL OR import_id = $import_id)
    GROUP BY answer
)
