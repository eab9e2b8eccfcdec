-- Removes the temporary table `new_respondents` once its import is written or refused.
-- Parameters: none.
DROP TABLE IF EXISTS new_respondents
