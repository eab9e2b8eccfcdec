-- One row per consultation with a cube: the zone of its per-day code counts (none without a
-- cube). Parameters: $consultation.
SELECT zone
FROM cube_builds
WHERE consultation_id = $consultation
