-- Sets one import's report (JSON text) to the one completed as it was written, and its count
-- of responses: how long the writing, the tagging and the facts took are known only then, and an
-- import read in parts counts its responses as it writes them.
-- Parameters: $import_id, $report, $responses_loaded.
UPDATE imports SET report = $report, responses_loaded = $responses_loaded
WHERE import_id = $import_id
