-- Removes the consultation's cube counts per code (cube_codes), of one profile or, with $profile
-- NULL, of all. Parameters: $consultation, $profile.
DELETE FROM cube_codes
WHERE consultation_id = $consultation
    AND ($profile IS NULL OR profile_id = $profile)
