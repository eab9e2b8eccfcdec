-- Removes the profile of every respondent listed in `affected_respondents`
-- (store/create_affected_respondents.sql), before they are rebuilt. Parameters: $consultation.
DELETE FROM respondents
WHERE consultation_id = $consultation
    AND respondent_id IN (SELECT respondent_id FROM affected_respondents)
