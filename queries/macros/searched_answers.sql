-- One row per response of a consultation whose text shown (redacted, or as written when raw)
-- contains every word of search: where it is (import_id, source_row, question_id). The words
-- come folded by dashboard/store/search_text.py (search_words) and are compared with the text's
-- fold made at import (answer_search; answer_written_search where redaction changed the text),
-- so case, accents and Arabic letter forms do not matter. With no search (NULL) it is empty,
-- and the planner drops the scan.
-- Parameters: consultation, search (list of folded words, or NULL), raw.
CREATE OR REPLACE MACRO searched_answers(consultation, search, raw) AS TABLE
SELECT a.import_id, a.source_row, a.question_id
FROM responses AS a
WHERE search IS NOT NULL
    AND a.consultation_id = consultation
    AND list_bool_and(list_transform(search, lambda w: contains(
        CASE WHEN raw THEN coalesce(a.answer_written_search, a.answer_search)
            ELSE a.answer_search END,
        w
    )))
