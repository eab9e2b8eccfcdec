-- Adds one row per reference country from the registered frame `reference_countries`.
-- Parameters: none.
INSERT INTO countries BY NAME SELECT * FROM reference_countries
