-- One row: how many respondents the temporary table `affected_respondents` lists.
-- Parameters: none.
SELECT count(*) AS respondents FROM affected_respondents
