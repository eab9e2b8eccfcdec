-- Adds one row per profile, question and option of the consultation's multi-column questions
-- with at least one response holding it: those responses, the respondents who chose it, and
-- their record-key sums (counted per respondent first). Parameters: $consultation.
INSERT INTO cube_options
WITH per_respondent AS (
    SELECT o.question_id, o.option, f.respondent_key, f.record_key, count(*) AS responses
    FROM response_facts AS f
    JOIN response_options AS o
        ON o.consultation_id = f.consultation_id
        AND o.import_id = f.import_id
        AND o.source_row = f.source_row
        AND o.question_id = f.question_id
    WHERE f.consultation_id = $consultation
    GROUP BY ALL
)
SELECT
    $consultation,
    p.profile_id,
    s.question_id,
    s.option,
    count(*) AS respondents,
    sum(s.responses)::BIGINT AS responses,
    sum(s.record_key)::HUGEINT AS respondent_key_sum,
    sum(s.record_key::HUGEINT * s.responses) AS response_key_sum
FROM per_respondent AS s
JOIN cube_respondents AS p
    ON p.consultation_id = $consultation AND p.respondent_key = s.respondent_key
GROUP BY p.profile_id, s.question_id, s.option
