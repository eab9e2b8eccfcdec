-- One row per language detected in the consultation's answers (ISO 639-1, or 'und' for answers
-- whose language was not detected): what the sidebar's "Language of the answer" filter offers,
-- most answers first. Parameters: $consultation.
SELECT answer_language, count(*) AS responses
FROM response_facts
WHERE consultation_id = $consultation
GROUP BY answer_language
ORDER BY answer_language = 'und', responses DESC, answer_language
