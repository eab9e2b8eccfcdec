-- Sets every response's detected language from the registered frame `detected_languages`
-- (answer, answer_language): one row per text of queries/store/distinct_answers.sql, with its
-- language or NULL. Parameters: none.
UPDATE responses
SET answer_language = d.answer_language
FROM detected_languages AS d
WHERE responses.answer = d.answer
