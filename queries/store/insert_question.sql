-- Adds one row per question.
-- Parameters: $consultation, $question, $theme, $position, $texts (JSON text).
INSERT INTO questions VALUES ($consultation, $question, $theme, $position, $texts)
