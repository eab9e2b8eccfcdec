-- Adds the consultation's cube build record: the zone its per-day code counts are in (the
-- consultation's). Parameters: $consultation.
INSERT INTO cube_builds
SELECT consultation_id, timezone
FROM consultations
WHERE consultation_id = $consultation
