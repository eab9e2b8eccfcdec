-- Removes the consultation's its cube's counts per quarter hour (cube_quarters). Parameters: $consultation.
DELETE FROM cube_quarters WHERE consultation_id = $consultation
