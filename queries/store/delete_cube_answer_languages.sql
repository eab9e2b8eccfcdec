-- Removes the consultation's cube counts per language detected in the answers
-- (cube_answer_languages). Parameters: $consultation.
DELETE FROM cube_answer_languages WHERE consultation_id = $consultation
