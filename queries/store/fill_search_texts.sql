-- Sets the search texts of the responses that have none from the registered frame
-- `searched_texts` (answer, answer_redacted, answer_search, answer_written_search): one row per
-- pair of texts of queries/store/unsearched_answers.sql, folded. Parameters: none.
UPDATE responses
SET answer_search = s.answer_search, answer_written_search = s.answer_written_search
FROM searched_texts AS s
WHERE responses.answer_search IS NULL
    AND responses.answer = s.answer
    AND responses.answer_redacted = s.answer_redacted
