-- Removes the consultation's its cube's option places (cube_option_places). Parameters: $consultation.
DELETE FROM cube_option_places WHERE consultation_id = $consultation
