-- Removes the consultation's its cube's counts per question (cube_questions). Parameters: $consultation.
DELETE FROM cube_questions WHERE consultation_id = $consultation
