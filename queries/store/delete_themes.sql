-- Removes every theme of one consultation. Parameters: $consultation.
DELETE FROM themes WHERE consultation_id = $consultation
