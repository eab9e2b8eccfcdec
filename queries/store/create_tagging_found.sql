-- Adds the temporary table `tagging_found`, empty: it will hold one row per code a distinct text
-- of `tagging_texts` matches, with the keyword that found it, written a chunk of texts at a time
-- (queries/store/insert_tagging_found.sql). Parameters: none.
CREATE OR REPLACE TEMPORARY TABLE tagging_found (
    text_id BIGINT NOT NULL,
    code_id VARCHAR NOT NULL,
    matched VARCHAR
)
