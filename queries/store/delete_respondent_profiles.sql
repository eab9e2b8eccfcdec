-- Removes the profile of every respondent listed in the registered frame `affected_respondents`
-- (column respondent_id), before they are rebuilt. Parameters: $consultation.
DELETE FROM respondents
WHERE consultation_id = $consultation
    AND respondent_id IN (SELECT respondent_id FROM affected_respondents)
