-- Removes the profile of every respondent listed in `affected_respondents` (column respondent_id:
-- a registered frame, or the view of an import's respondents), before they are rebuilt. Parameters: $consultation.
DELETE FROM respondents
WHERE consultation_id = $consultation
    AND respondent_id IN (SELECT respondent_id FROM affected_respondents)
