-- Sets the store's version one higher, at the end of every write transaction, so every
-- session's cached figures are read again on its next rerun. Parameters: none.
UPDATE store_version
SET version = version + 1
