-- One row: how many counted respondents have an unknown country or language, and how many
-- selected responses have an unknown time or answer a question no theme lists.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
SELECT
    (
        SELECT count(*) FILTER (WHERE country_iso3 IS NULL)
        FROM counted_respondents(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        )
    ) AS unknown_country,
    (
        SELECT count(*) FILTER (WHERE language = 'und')
        FROM counted_respondents(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        )
    ) AS unknown_language,
    (
        SELECT count(*) FILTER (WHERE submitted_at IS NULL)
        FROM selected_responses(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        )
    ) AS unknown_time,
    (
        SELECT count(*) FILTER (WHERE theme_id = 'Unknown')
        FROM selected_responses(
            $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
            $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
        )
    ) AS unknown_question
