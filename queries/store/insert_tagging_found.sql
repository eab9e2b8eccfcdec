-- Adds one row per code a text matched to the temporary table `tagging_found`, from the frame
-- `found_tags` (text_id, code_id, matched) the codebook's tagger made of a chunk of texts.
-- Parameters: none.
INSERT INTO tagging_found
SELECT text_id, code_id, matched
FROM found_tags
