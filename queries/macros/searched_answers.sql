-- One row per response of a consultation whose text shown (redacted, or as written when raw)
-- contains every word of search (case-insensitive): where it is (import_id, source_row,
-- question_id). With no search (NULL) it is empty, and the planner drops the scan.
-- Parameters: consultation, search (list of words, or NULL), raw.
CREATE OR REPLACE MACRO searched_answers(consultation, search, raw) AS TABLE
SELECT a.import_id, a.source_row, a.question_id
FROM responses AS a
WHERE search IS NOT NULL
    AND a.consultation_id = consultation
    AND list_bool_and(list_transform(search, lambda w: contains(
        lower(CASE WHEN raw THEN a.answer ELSE a.answer_redacted END), lower(w)
    )))
