-- Adds or replaces the version ($version) of the code that made the derived column $name.
-- Parameters: $name, $version.
INSERT OR REPLACE INTO derived_versions (name, version)
VALUES ($name, $version)
