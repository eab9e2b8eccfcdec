-- Removes the consultation's its respondents' profiles in the cube (cube_respondents). Parameters: $consultation.
DELETE FROM cube_respondents WHERE consultation_id = $consultation
