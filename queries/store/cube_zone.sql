-- One row per consultation whose cube the current layout ($layout, queries.CUBE_VERSION) built:
-- the zone of its per-day code counts (none without such a cube: a store made before the cube,
-- or by an older layout, opened read-only). Parameters: $consultation, $layout.
SELECT zone
FROM cube_builds
WHERE consultation_id = $consultation AND layout = $layout
