-- One row: how many distinct texts the temporary table `tagging_texts` holds
-- (queries/store/create_tagging_texts.sql), for the progress of tagging them. Parameters: none.
SELECT count(*) AS texts
FROM tagging_texts
