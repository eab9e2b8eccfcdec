-- One row: a fingerprint of the store's contents (imports and consultation definitions), which
-- changes whenever an import, an undo or a definition changes, so cached results can be keyed by
-- it. Parameters: none.
SELECT
    (SELECT count(*) FROM imports) AS imports,
    (SELECT coalesce(max(import_id), 0) FROM imports) AS last_import,
    (SELECT count(*) FROM consultations) AS consultations,
    (SELECT max(added_at) FROM consultations)::VARCHAR AS last_definition
