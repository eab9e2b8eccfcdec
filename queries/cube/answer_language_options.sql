-- One row per language detected in the consultation's answers (ISO 639-1, or 'und' for answers
-- whose language was not detected): what the sidebar's "Language of the answer" filter offers,
-- most answers first.
-- The cube's twin of queries/answer_language_options.sql: the same rows, columns and figures,
-- from the cube (schema.sql). Parameters: $consultation.
SELECT answer_language, sum(responses)::BIGINT AS responses
FROM cube_answer_languages
WHERE consultation_id = $consultation
GROUP BY answer_language
ORDER BY answer_language = 'und', responses DESC, answer_language
