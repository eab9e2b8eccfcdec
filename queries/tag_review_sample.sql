-- One row per automatic (keyword) tag drawn for review: up to $size tags no analyst has judged
-- yet, in a random order fixed by $seed (the same seed draws the same sample), restricted to
-- $review_codes when not NULL: the answer as shown (redacted), where it is, the code and the
-- keyword that found it. No respondent id.
-- Parameters: $consultation, $review_codes, $seed, $size.
WITH keyword_tags AS (
    SELECT t.import_id, t.source_row, t.question_id, t.code_id, t.matched
    FROM response_codes AS t
    WHERE t.consultation_id = $consultation
        AND t.source = 'keyword'
        AND ($review_codes IS NULL OR list_contains($review_codes, t.code_id))
)
SELECT
    a.answer_redacted AS answer,
    a.question_id,
    t.code_id,
    t.matched,
    t.import_id,
    t.source_row
FROM keyword_tags AS t
JOIN responses AS a
    ON a.consultation_id = $consultation
    AND a.import_id = t.import_id
    AND a.source_row = t.source_row
    AND a.question_id = t.question_id
ANTI JOIN tag_judgements AS j
    ON j.consultation_id = $consultation
    AND j.respondent_id = a.respondent_id
    AND j.question_id = a.question_id
    AND j.answer_hash = md5(a.answer)
    AND j.code_id = t.code_id
ORDER BY hash(t.import_id, t.source_row, t.question_id, t.code_id, $seed)
LIMIT $size
