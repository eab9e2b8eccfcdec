-- Removes the temporary table `affected_respondents` once its import or undo is written or
-- refused. Parameters: none.
DROP TABLE IF EXISTS affected_respondents
