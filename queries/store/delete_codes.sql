-- Removes every code of the consultation's codebook. Parameters: $consultation.
DELETE FROM codes WHERE consultation_id = $consultation
