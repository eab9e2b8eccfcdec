-- One row: how many responses, and from how many respondents, match the filters and contain
-- every word of $search (case-insensitive; NULL for no search).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $date_from, $date_to, $tz, $search.
SELECT
    count(*) AS responses,
    count(DISTINCT respondent_id) AS respondents
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $date_from, $date_to, $tz
)
WHERE $search IS NULL
    OR list_bool_and(list_transform($search, lambda w: contains(lower(answer), lower(w))))
