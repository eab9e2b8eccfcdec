-- One row: the number the next answer stored takes, after every answer stored (schema.sql:
-- response_key). Parameters: none.
SELECT coalesce(max(response_key), 0) + 1 AS next_key
FROM responses
