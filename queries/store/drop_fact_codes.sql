-- Removes the temporary table `fact_codes` once the response facts are written.
-- Parameters: none.
DROP TABLE IF EXISTS fact_codes
