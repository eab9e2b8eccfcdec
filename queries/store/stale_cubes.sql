-- One row per consultation whose cube is missing (a store made before the cube), was built for
-- another zone than the consultation's or by another layout than $layout: their ids, to
-- rebuild. Parameters: $layout.
SELECT c.consultation_id
FROM consultations AS c
LEFT JOIN cube_builds AS b USING (consultation_id)
WHERE b.zone IS DISTINCT FROM c.timezone OR b.layout IS DISTINCT FROM $layout
ORDER BY c.consultation_id
