-- One row per consultation: how many respondents and responses pass the filters.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz (see macros/selected_responses.sql).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
SELECT
    (
        SELECT count(*)
        FROM counted_respondents(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        )
    ) AS respondents,
    (
        SELECT count(*)
        FROM selected_responses(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        )
    ) AS responses
