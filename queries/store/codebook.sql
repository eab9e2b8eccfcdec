-- One row: the consultation's codebook as written (none when it has none).
-- Parameters: $consultation.
SELECT codebook_toml FROM codebooks WHERE consultation_id = $consultation
