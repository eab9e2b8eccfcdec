-- One row: how many respondents of the temporary table `new_respondents` the consultation
-- already holds from an earlier import. Parameters: $consultation.
SELECT count(*) AS respondents
FROM new_respondents AS n
SEMI JOIN respondents AS r
    ON r.consultation_id = $consultation AND r.respondent_id = n.respondent_id
