-- One row: the store's version (raised by every write) and identity, which key cached results.
-- Parameters: none.
SELECT store_id, version
FROM store_version
