-- One row per question of the consultation (zero where none, in the definition's order; plus
-- answers to questions the definition does not know), with its theme, its texts (JSON by
-- language), its responses, and its respondents (those who answered it).
-- With the sums of the counted records' keys (respondent_key_sum, response_key_sum) from
-- which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
WITH answered AS (
    SELECT question_id, count(DISTINCT respondent_key) AS respondents, count(*) AS responses,
        sum(DISTINCT respondent_key::HUGEINT * 4294967296 + record_key) AS respondent_key_sum,
        sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
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
    coalesce(a.respondent_key_sum, 0) AS respondent_key_sum,
    coalesce(a.response_key_sum, 0) AS response_key_sum
FROM defined AS d
FULL JOIN answered AS a USING (question_id)
ORDER BY coalesce(d.position, 1e9), question_id
