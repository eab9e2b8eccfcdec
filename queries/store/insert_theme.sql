-- Adds one row per theme. Parameters: $consultation, $theme, $position, $labels (JSON text).
INSERT INTO themes VALUES ($consultation, $theme, $position, $labels)
