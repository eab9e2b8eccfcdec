-- One row per unfiltered view of the consultation made by the cube of layout $layout (none if
-- another layout built it, or none was made) for the twin $statement under $parameters (JSON of
-- the parameters it reads): its frame, an Arrow IPC stream.
-- Parameters: $consultation, $statement, $parameters, $layout.
SELECT v.frame
FROM cube_views AS v
JOIN cube_builds AS b USING (consultation_id)
WHERE v.consultation_id = $consultation
    AND b.layout = $layout
    AND v.statement = $statement
    AND v.parameters = $parameters
