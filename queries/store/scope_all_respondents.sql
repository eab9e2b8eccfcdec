-- Sets the temporary table facts_scope to one row per respondent of the consultation, each with
-- a new key numbering them in the order of their ids: the respondents whose facts
-- database.refresh_facts rebuilds, all of them. Parameters: $consultation.
CREATE OR REPLACE TEMP TABLE facts_scope AS
SELECT respondent_id, row_number() OVER (ORDER BY respondent_id)::INTEGER AS respondent_key
FROM respondents
WHERE consultation_id = $consultation
