-- Removes the consultation's codebook. Parameters: $consultation.
DELETE FROM codebooks WHERE consultation_id = $consultation
