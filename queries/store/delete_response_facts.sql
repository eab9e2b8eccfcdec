-- Removes the consultation's response facts. Parameters: $consultation.
DELETE FROM response_facts WHERE consultation_id = $consultation
