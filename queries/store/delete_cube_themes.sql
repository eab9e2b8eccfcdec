-- Removes the consultation's its cube's counts per theme (cube_themes). Parameters: $consultation.
DELETE FROM cube_themes WHERE consultation_id = $consultation
