-- One row per consultation in the store: its id and title, newest first.
-- Parameters: none.
SELECT consultation_id, title FROM consultations ORDER BY added_at DESC, consultation_id
