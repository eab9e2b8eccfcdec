-- Adds the consultation's cube build record: the zone its per-day code counts are in (the
-- consultation's) and the cube's layout ($layout). Parameters: $consultation, $layout.
INSERT INTO cube_builds
SELECT consultation_id, timezone, $layout
FROM consultations
WHERE consultation_id = $consultation
