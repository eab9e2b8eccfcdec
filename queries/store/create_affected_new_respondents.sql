-- Adds the temporary view `affected_respondents`: one row per respondent of the temporary table
-- `new_respondents` (queries/store/create_new_respondents.sql), the respondents whose profiles
-- and facts an import makes again. Parameters: none.
CREATE OR REPLACE TEMPORARY VIEW affected_respondents AS
SELECT respondent_id
FROM new_respondents
