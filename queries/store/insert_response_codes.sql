-- Adds the codes of the responses in scope (the consultation, or one import when $import_id is
-- not NULL): the keyword tags of the temporary table `tagging_found` (text_id, code_id, matched),
-- found once per distinct text of `tagging_texts` and given to every answer that reads so,
-- except where an analyst decided on that code of that answer, plus the codes analysts gave
-- those answers. Analysts' decisions win; codes no longer in the codebook are dropped.
-- Parameters: $consultation, $import_id.
INSERT INTO response_codes
WITH scope AS (
    SELECT import_id, source_row, question_id, respondent_id, answer, md5(answer) AS answer_hash
    FROM responses
    WHERE consultation_id = $consultation
        AND ($import_id IS NULL OR import_id = $import_id)
),
decided AS (
    SELECT s.import_id, s.source_row, s.question_id, e.code_id, e.applied
    FROM scope AS s
    JOIN tag_edits AS e
        ON e.consultation_id = $consultation
        AND e.respondent_id = s.respondent_id
        AND e.question_id = s.question_id
        AND e.answer_hash = s.answer_hash
    WHERE e.code_id IN (SELECT code_id FROM codes WHERE consultation_id = $consultation)
),
found AS (
    SELECT s.import_id, s.source_row, s.question_id, t.code_id, t.matched
    FROM scope AS s
    JOIN tagging_texts AS x ON x.answer = s.answer
    JOIN tagging_found AS t ON t.text_id = x.text_id
)
SELECT $consultation, f.import_id, f.source_row, f.question_id, f.code_id, 'keyword', f.matched
FROM found AS f
ANTI JOIN decided AS d
    ON d.import_id = f.import_id
    AND d.source_row = f.source_row
    AND d.question_id = f.question_id
    AND d.code_id = f.code_id
UNION ALL
SELECT $consultation, import_id, source_row, question_id, code_id, 'analyst', NULL
FROM decided
WHERE applied
