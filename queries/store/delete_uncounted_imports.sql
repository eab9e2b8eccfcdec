-- Removes every import of a consultation from the uncounted ones, once all its answers are
-- tagged again and all its facts rebuilt (a codebook saved). Parameters: $consultation.
DELETE FROM uncounted_imports WHERE consultation_id = $consultation
