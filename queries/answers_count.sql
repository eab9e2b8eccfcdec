-- One row: how many responses an answer listing may show under the filters
-- (macros/listed_responses.sql), and from how many respondents, that contain
-- every word of $search (folded words, see queries/macros/searched_answers.sql; NULL for no
-- search) in the text shown (redacted, or as written when $raw).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $search, $raw, $k.
-- Counted per cell and respondent first: respondents are then rows, and their record keys add
-- up without a DISTINCT (a second DISTINCT aggregate would double the cost).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH per_respondent AS (
    SELECT s.respondent_key, s.record_key, count(*) AS responses
    FROM listed_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
    ) AS s
    LEFT JOIN searched_answers($consultation, $search, $raw) AS m
        USING (import_id, source_row, question_id)
    WHERE $search IS NULL OR m.import_id IS NOT NULL
    GROUP BY ALL
)
SELECT
    coalesce(sum(responses), 0)::BIGINT AS responses,
    count(*) AS respondents,
    -- The record key sums the perturbation of these counts is drawn from (never shown).
    (coalesce(sum(record_key), 0)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(sum(record_key::HUGEINT * responses), 0) % 4294967296)::BIGINT AS response_key_sum
FROM per_respondent
