-- Removes the consultation's its cube's counts per period (cube_periods). Parameters: $consultation.
DELETE FROM cube_periods WHERE consultation_id = $consultation
