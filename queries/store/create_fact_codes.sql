-- Adds the temporary table `fact_codes`: one row per coded response of the consultation from a
-- respondent in the temporary table facts_scope, with its codes as a list in the order of their
-- ids, which queries/store/insert_response_facts.sql gives each response's facts. Made apart:
-- listed inside that statement, beside its joins and its sort, the codes needed more memory
-- than DuckDB could free (a million answers ran out of 400 MB, ten million out of 1 GB, in the
-- import's transaction; apart, a million fit in 300 MB). Parameters: $consultation.
CREATE OR REPLACE TEMPORARY TABLE fact_codes AS
SELECT c.import_id, c.source_row, c.question_id, list(c.code_id ORDER BY c.code_id) AS codes
FROM response_codes AS c
SEMI JOIN (
    SELECT import_id, source_row, question_id
    FROM responses
    WHERE consultation_id = $consultation
        AND respondent_id IN (SELECT respondent_id FROM facts_scope)
) AS s USING (import_id, source_row, question_id)
WHERE c.consultation_id = $consultation
GROUP BY ALL
