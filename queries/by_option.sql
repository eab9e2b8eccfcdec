-- One row per question and option of the questions that span several columns (a select-all
-- question's options, a matrix's rows, "Tool #1..#3" fields, a choice and its "Other"), in
-- the definition's order of questions and the file's order of columns (zero where none under
-- the filters): the respondents who chose it, and the responses (answers to the question) that
-- hold it. Not responses to count: a respondent's answer to a question is one response
-- however many options it holds, so options overlap and never add up to responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH per_respondent AS (
    SELECT o.question_id, o.option, s.respondent_key, s.record_key, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS s
    JOIN response_options AS o
        ON o.consultation_id = $consultation
        AND o.import_id = s.import_id
        AND o.source_row = s.source_row
        AND o.question_id = s.question_id
    GROUP BY ALL
),
counted AS (
    SELECT
        question_id,
        option,
        count(*) AS respondents,
        sum(responses)::BIGINT AS responses,
        sum(record_key)::HUGEINT AS respondent_key_sum,
        sum(record_key::HUGEINT * responses) AS response_key_sum
    FROM per_respondent
    GROUP BY question_id, option
),
placed AS (
    SELECT
        o.question_id,
        o.option,
        min(o.position) AS position,
        any_value(coalesce(nullif(q.theme_id, ''), 'Unknown')) AS theme_id,
        any_value(coalesce(q.position, 1000000000)) AS question_position
    FROM response_options AS o
    LEFT JOIN questions AS q
        ON q.consultation_id = o.consultation_id AND q.question_id = o.question_id
    WHERE o.consultation_id = $consultation
        AND ($questions IS NULL OR list_contains($questions, o.question_id))
    GROUP BY o.question_id, o.option
)
SELECT
    p.question_id,
    p.theme_id,
    p.option,
    coalesce(c.respondents, 0) AS respondents,
    coalesce(c.responses, 0) AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM placed AS p
LEFT JOIN counted AS c USING (question_id, option)
WHERE $themes IS NULL OR list_contains($themes, p.theme_id)
ORDER BY p.question_position, p.question_id, p.position, p.option
