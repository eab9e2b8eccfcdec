-- Adds an analyst's pin of the response at (import, row, question) as a quote of subject
-- $subject of kind $kind ('theme', 'code', or 'topic' with the topic's label as $subject), named
-- by its respondent, question and the md5 of
-- its text like tag_edits, so that it outlives re-tagging, undo and a re-import of the same
-- file; a pin already there is kept as it was, with its time. Parameters: $consultation, $import_id, $source_row, $question_id, $kind, $subject,
-- $pinned_by, $pinned_at.
INSERT OR IGNORE INTO quote_pins
SELECT consultation_id, $kind, $subject, respondent_id, question_id, md5(answer), $pinned_by,
    $pinned_at
FROM responses
WHERE consultation_id = $consultation
    AND import_id = $import_id
    AND source_row = $source_row
    AND question_id = $question_id
LIMIT 1
