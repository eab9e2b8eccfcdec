-- Removes the temporary table `tagging_texts` once its texts' codes are written.
-- Parameters: none.
DROP TABLE IF EXISTS tagging_texts
