-- One row per distinct pair of texts (as written, redacted) of the responses that have no search
-- text yet (stores made before it, or by another fold): what to fold. Parameters: none.
SELECT DISTINCT answer, answer_redacted
FROM responses
WHERE answer_search IS NULL
