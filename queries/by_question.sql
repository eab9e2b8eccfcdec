-- One row per question of the consultation (zero where none, in the definition's order; plus
-- answers to questions the definition does not know), with its theme, its texts (JSON by
-- language), its responses, and its respondents (those who answered it).
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH per_respondent AS (
    SELECT question_id, respondent_key, record_key, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY ALL
),
answered AS (
    SELECT
        question_id,
        count(*) AS respondents,
        sum(responses)::BIGINT AS responses,
        sum(record_key)::HUGEINT AS respondent_key_sum,
        sum(record_key::HUGEINT * responses) AS response_key_sum
    FROM per_respondent
    GROUP BY question_id
),
defined AS (
    SELECT question_id, coalesce(nullif(theme_id, ''), 'Unknown') AS theme_id, position, texts
    FROM questions
    WHERE consultation_id = $consultation
        AND ($themes IS NULL OR list_contains($themes, coalesce(nullif(theme_id, ''), 'Unknown')))
        AND ($questions IS NULL OR list_contains($questions, question_id))
)
SELECT
    coalesce(d.question_id, a.question_id) AS question_id,
    coalesce(d.theme_id, 'Unknown') AS theme_id,
    coalesce(d.texts, '{}')::VARCHAR AS texts,
    coalesce(a.respondents, 0) AS respondents,
    coalesce(a.responses, 0) AS responses,
    (coalesce(a.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(a.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM defined AS d
FULL JOIN answered AS a USING (question_id)
ORDER BY coalesce(d.position, 1e9), question_id
