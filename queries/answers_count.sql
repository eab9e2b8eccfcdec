-- One row: how many responses, and from how many respondents, match the filters and contain
-- every word of $search (case-insensitive; NULL for no search) in the text shown (redacted, or
-- as written when $raw).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $search, $raw.
SELECT
    count(*) AS responses,
    count(DISTINCT s.respondent_key) AS respondents,
    -- The record key sums the perturbation of these counts is drawn from (never shown).
    coalesce(sum(DISTINCT s.respondent_key::HUGEINT * 4294967296 + s.record_key), 0)
        AS respondent_key_sum,
    coalesce(sum(s.record_key), 0)::HUGEINT AS response_key_sum
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz
) AS s
LEFT JOIN searched_answers($consultation, $search, $raw) AS m
    USING (import_id, source_row, question_id)
WHERE $search IS NULL OR m.import_id IS NOT NULL
