-- One row per distinct answer text (as written) of the store's responses: what the answers'
-- languages are detected from when a store made before them is opened. Parameters: none.
SELECT DISTINCT answer
FROM responses
