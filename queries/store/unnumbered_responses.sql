-- One row: whether any answer has no number yet (a store made before the answers were
-- numbered, schema.sql: response_key). Parameters: none.
SELECT EXISTS (SELECT 1 FROM responses WHERE response_key IS NULL) AS unnumbered
