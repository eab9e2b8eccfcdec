-- One row per respondent id of the registered frame `new_respondents` that the consultation
-- already holds from an earlier import. Parameters: $consultation.
SELECT n.respondent_id
FROM new_respondents AS n
SEMI JOIN respondents AS r
    ON r.consultation_id = $consultation AND r.respondent_id = n.respondent_id
