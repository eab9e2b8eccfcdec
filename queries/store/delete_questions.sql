-- Removes every question of one consultation. Parameters: $consultation.
DELETE FROM questions WHERE consultation_id = $consultation
