-- Removes the consultation's cube counts per day and code (cube_code_days), of one profile or, with $profile
-- NULL, of all. Parameters: $consultation, $profile.
DELETE FROM cube_code_days
WHERE consultation_id = $consultation
    AND ($profile IS NULL OR profile_id = $profile)
