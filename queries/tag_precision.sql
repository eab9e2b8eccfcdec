-- One row per code of the consultation's codebook (in its order): how many of its automatic
-- tags analysts judged, how many they found right, and the precision (right / judged, NULL
-- when none was judged). Judgements of answers no longer in the store are left out.
-- Parameters: $consultation.
WITH judged AS (
    SELECT j.code_id, count(*) AS judged, count(*) FILTER (WHERE j.correct) AS correct
    FROM tag_judgements AS j
    WHERE j.consultation_id = $consultation
        AND EXISTS (
            SELECT 1
            FROM responses AS a
            WHERE a.consultation_id = j.consultation_id
                AND a.respondent_id = j.respondent_id
                AND a.question_id = j.question_id
                AND md5(a.answer) = j.answer_hash
        )
    GROUP BY j.code_id
)
SELECT
    c.code_id,
    coalesce(j.judged, 0) AS judged,
    coalesce(j.correct, 0) AS correct,
    j.correct / nullif(j.judged, 0) AS precision
FROM codes AS c
LEFT JOIN judged AS j USING (code_id)
WHERE c.consultation_id = $consultation
ORDER BY c.position
