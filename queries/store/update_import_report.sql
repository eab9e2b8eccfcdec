-- Sets one import's report (JSON text) to the one completed as it was written: how long the
-- writing, the tagging and the facts took are known only then. Parameters: $import_id, $report.
UPDATE imports SET report = $report WHERE import_id = $import_id
