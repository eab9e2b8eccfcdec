-- Removes the consultation's unfiltered views (cube_views): all of them, or those of the
-- statements in $statements (cube twins' names; NULL for all). Parameters: $consultation,
-- $statements.
DELETE FROM cube_views
WHERE consultation_id = $consultation
    AND ($statements IS NULL OR list_contains($statements, statement))
