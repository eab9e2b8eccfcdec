-- Adds one row per code of the registered frame `new_codes` (code_id, position, theme_id,
-- labels, keywords). Parameters: $consultation.
INSERT INTO codes
SELECT $consultation, code_id, position, theme_id, labels::JSON, keywords
FROM new_codes
