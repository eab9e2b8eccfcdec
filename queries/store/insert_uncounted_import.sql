-- Adds one row: an import whose answers are committed before they are tagged and counted.
-- Parameters: $consultation, $import_id.
INSERT INTO uncounted_imports (import_id, consultation_id)
VALUES ($import_id, $consultation)
