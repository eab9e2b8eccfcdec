-- Removes the consultation's its cube's counts per option (cube_options). Parameters: $consultation.
DELETE FROM cube_options WHERE consultation_id = $consultation
