-- Removes the respondent facts of the respondents in the temporary table facts_scope (see
-- scope_affected_respondents.sql), before they are rebuilt. Parameters: $consultation.
DELETE FROM respondent_facts
WHERE consultation_id = $consultation
    AND respondent_id IN (SELECT respondent_id FROM facts_scope)
