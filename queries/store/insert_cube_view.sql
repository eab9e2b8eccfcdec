-- Adds one unfiltered view of the consultation (cube_views): the twin $statement's frame under
-- $parameters (JSON of the parameters it reads), as an Arrow IPC stream ($frame).
-- Parameters: $consultation, $statement, $parameters, $frame.
INSERT INTO cube_views VALUES ($consultation, $statement, $parameters, $frame)
