-- Removes one consultation's definition (the consultations row). Parameters: $consultation.
DELETE FROM consultations WHERE consultation_id = $consultation
