-- Removes the temporary table `tagging_found` once its codes are written. Parameters: none.
DROP TABLE IF EXISTS tagging_found
