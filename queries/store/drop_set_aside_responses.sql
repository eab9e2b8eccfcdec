-- Removes the set-aside responses table once its answers are moved. Parameters: none.
DROP TABLE responses_set_aside
