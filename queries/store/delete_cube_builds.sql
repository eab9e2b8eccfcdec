-- Removes the consultation's its cube's build record (cube_builds). Parameters: $consultation.
DELETE FROM cube_builds WHERE consultation_id = $consultation
