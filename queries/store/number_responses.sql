-- Sets the number of every answer of a store made before the answers were numbered
-- (schema.sql: response_key), in the order the answers are stored, after any answer already
-- numbered. Parameters: none.
UPDATE responses
SET response_key = rowid + 1 + (
    SELECT coalesce(max(response_key), 0) FROM responses
)
WHERE response_key IS NULL
