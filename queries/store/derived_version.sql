-- One row: the version of the code that made the store's derived column $name (none when the
-- store has not recorded one). Parameters: $name.
SELECT version
FROM derived_versions
WHERE name = $name
