-- One row per (answer, code) that both $coder_a and $coder_b judged, among the responses
-- matching the filters (codes restricted to $codes when not NULL): each one's verdict
-- (`applies_a`, `applies_b`), the settled verdict if any (`settled`, NULL when none), whether
-- keywords gave the code (`tagged`), the language, the answer as shown (redacted) and where
-- it is (to settle it). No respondent id.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $coder_a, $coder_b.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH answers AS (
    SELECT s.import_id, s.source_row, s.question_id, s.language, a.respondent_id,
        a.answer_redacted, md5(a.answer) AS answer_hash
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, NULL, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS s
    JOIN responses AS a
        ON a.consultation_id = $consultation
        AND a.import_id = s.import_id
        AND a.source_row = s.source_row
        AND a.question_id = s.question_id
),
first_coder AS (
    SELECT * FROM tag_codings WHERE consultation_id = $consultation AND coder = $coder_a
),
second_coder AS (
    SELECT * FROM tag_codings WHERE consultation_id = $consultation AND coder = $coder_b
)
SELECT
    x.code_id,
    a.language,
    x.applies AS applies_a,
    y.applies AS applies_b,
    s.applies AS settled,
    EXISTS (
        SELECT 1
        FROM response_codes AS t
        WHERE t.consultation_id = $consultation
            AND t.source = 'keyword'
            AND t.import_id = a.import_id
            AND t.source_row = a.source_row
            AND t.question_id = a.question_id
            AND t.code_id = x.code_id
    ) AS tagged,
    a.answer_redacted AS answer,
    a.import_id,
    a.source_row,
    a.question_id
FROM answers AS a
JOIN first_coder AS x USING (respondent_id, question_id, answer_hash)
JOIN second_coder AS y USING (respondent_id, question_id, answer_hash, code_id)
LEFT JOIN tag_settlements AS s
    ON s.consultation_id = $consultation
    AND s.respondent_id = a.respondent_id
    AND s.question_id = a.question_id
    AND s.answer_hash = a.answer_hash
    AND s.code_id = x.code_id
JOIN codes AS c ON c.consultation_id = $consultation AND c.code_id = x.code_id
WHERE $codes IS NULL OR list_contains($codes, x.code_id)
ORDER BY c.position, a.import_id, a.source_row, a.question_id
