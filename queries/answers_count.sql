-- One row: how many responses, and from how many respondents, match the filters and contain
-- every word of $search (case-insensitive; NULL for no search) in the text shown (redacted, or
-- as written when $raw).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $search, $raw.
SELECT
    count(*) AS responses,
    count(DISTINCT respondent_id) AS respondents
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz
)
WHERE $search IS NULL
    OR list_bool_and(
        list_transform(
            $search,
            lambda w: contains(lower(CASE WHEN $raw THEN answer ELSE answer_redacted END), lower(w))
        )
    )
