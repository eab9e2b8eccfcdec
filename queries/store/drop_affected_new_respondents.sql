-- Removes the temporary view `affected_respondents` of an import's respondents once it is
-- written or refused. Parameters: none.
DROP VIEW IF EXISTS affected_respondents
