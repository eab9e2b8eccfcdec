-- Adds one row per question and option of the consultation's multi-column questions: its least
-- column position, its question's theme ('Unknown' for none) and the question's position, as
-- queries/by_option.sql places them. Parameters: $consultation.
INSERT INTO cube_option_places
SELECT
    o.consultation_id,
    o.question_id,
    o.option,
    min(o.position) AS position,
    any_value(coalesce(nullif(q.theme_id, ''), 'Unknown')) AS theme_id,
    any_value(coalesce(q.position, 1000000000)) AS question_position
FROM response_options AS o
LEFT JOIN questions AS q
    ON q.consultation_id = o.consultation_id AND q.question_id = o.question_id
WHERE o.consultation_id = $consultation
GROUP BY o.consultation_id, o.question_id, o.option
