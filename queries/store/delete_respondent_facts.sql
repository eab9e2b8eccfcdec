-- Removes the consultation's respondent facts. Parameters: $consultation.
DELETE FROM respondent_facts WHERE consultation_id = $consultation
