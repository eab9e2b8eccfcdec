-- Removes the temporary table facts_scope once the facts are rebuilt. Parameters: none.
DROP TABLE IF EXISTS facts_scope
