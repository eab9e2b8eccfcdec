-- Removes the consultation's its cube's profiles (cube_profiles). Parameters: $consultation.
DELETE FROM cube_profiles WHERE consultation_id = $consultation
