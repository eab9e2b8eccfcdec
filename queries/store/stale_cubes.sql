-- One row per consultation whose cube is missing (a store made before the cube) or was built
-- for another zone than the consultation's: their ids, to rebuild. Parameters: none.
SELECT c.consultation_id
FROM consultations AS c
LEFT JOIN cube_builds AS b USING (consultation_id)
WHERE b.zone IS DISTINCT FROM c.timezone
ORDER BY c.consultation_id
