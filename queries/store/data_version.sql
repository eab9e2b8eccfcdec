-- One row: a fingerprint of the store's contents (imports, consultation definitions, codebooks
-- and analysts' tags, judgements, codings and settlements), which changes whenever any of them changes, so cached
-- results can be keyed by it. Parameters: none.
SELECT
    (SELECT count(*) FROM imports) AS imports,
    (SELECT coalesce(max(import_id), 0) FROM imports) AS last_import,
    (SELECT count(*) FROM consultations) AS consultations,
    (SELECT max(added_at) FROM consultations)::VARCHAR AS last_definition,
    (SELECT max(saved_at) FROM codebooks)::VARCHAR AS last_codebook,
    (SELECT count(*) FROM tag_edits) AS tag_edits,
    (SELECT max(edited_at) FROM tag_edits)::VARCHAR AS last_tag_edit,
    (SELECT count(*) FROM tag_judgements) AS judgements,
    (SELECT max(judged_at) FROM tag_judgements)::VARCHAR AS last_judgement,
    (SELECT count(*) FROM tag_codings) AS codings,
    (SELECT max(coded_at) FROM tag_codings)::VARCHAR AS last_coding,
    (SELECT count(*) FROM tag_settlements) AS settlements,
    (SELECT max(settled_at) FROM tag_settlements)::VARCHAR AS last_settlement
