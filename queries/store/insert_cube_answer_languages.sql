-- Adds one row per profile and language detected in the answers ('und' where none was) of the
-- consultation with at least one response: the responses, the respondents with at least one, and
-- their record-key sums (counted per respondent first, as the pages count them).
-- Parameters: $consultation.
INSERT INTO cube_answer_languages
WITH per_respondent AS (
    SELECT answer_language, respondent_key, record_key, count(*) AS responses
    FROM response_facts
    WHERE consultation_id = $consultation
    GROUP BY ALL
)
SELECT
    $consultation,
    p.profile_id,
    s.answer_language,
    count(*) AS respondents,
    sum(s.responses)::BIGINT AS responses,
    sum(s.record_key)::HUGEINT AS respondent_key_sum,
    sum(s.record_key::HUGEINT * s.responses) AS response_key_sum
FROM per_respondent AS s
JOIN cube_respondents AS p
    ON p.consultation_id = $consultation AND p.respondent_key = s.respondent_key
GROUP BY p.profile_id, s.answer_language
