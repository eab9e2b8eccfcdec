-- Adds the consultation's codebook. Parameters: $consultation, $codebook_toml, $saved_at,
-- $saved_by.
INSERT INTO codebooks VALUES ($consultation, $codebook_toml, $saved_at, $saved_by)
