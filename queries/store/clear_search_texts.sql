-- Sets every response's search texts to NULL, so that they are made again (by a newer fold).
-- Parameters: none.
UPDATE responses
SET answer_search = NULL, answer_written_search = NULL
WHERE answer_search IS NOT NULL OR answer_written_search IS NOT NULL
