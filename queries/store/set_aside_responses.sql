-- Sets the responses table of a store that holds every answer's text twice aside, under
-- another name, so that schema.sql makes the table anew; queries/store/move_responses.sql then
-- moves the answers. Parameters: none.
ALTER TABLE responses RENAME TO responses_set_aside
