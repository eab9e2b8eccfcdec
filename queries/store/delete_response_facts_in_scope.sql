-- Removes the response facts of the respondents in the temporary table facts_scope (see
-- scope_affected_respondents.sql), before they are rebuilt. Parameters: $consultation.
DELETE FROM response_facts
WHERE consultation_id = $consultation
    AND respondent_key IN (SELECT respondent_key FROM facts_scope)
