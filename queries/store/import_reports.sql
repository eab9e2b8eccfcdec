-- One row per import into a consultation, oldest first: its id and its validation report
-- (JSON text, with the seconds each stage took). Parameters: $consultation.
SELECT import_id, report::VARCHAR AS report
FROM imports
WHERE consultation_id = $consultation
ORDER BY import_id
