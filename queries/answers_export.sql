-- One row per response an answer listing may show under the filters (macros/listed_responses.sql),
-- oldest day first, for the report pack: the redacted answer with its question, theme,
-- language, the country (and its ISO3), region and sub-region only where at least $k
-- respondents of the consultation share the country (else the region of its pool of small
-- countries, or nothing: macros/listing_places.sql), its day in zone $tz, and its codes
-- (ids, comma separated). No respondent id, and nothing that groups answers by respondent: the day,
-- not the time, and within a day and question the answers in the order of their text.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $k.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH texts AS (
    SELECT import_id, source_row, question_id, answer_redacted
    FROM responses
    WHERE consultation_id = $consultation
)
SELECT
    CASE
        WHEN a.country_shown AND a.country_iso3 IS NULL THEN 'Unknown'
        WHEN a.country_shown THEN k.name_en
        ELSE '(not shown: fewer than ' || $k || ' respondents)'
    END AS country,
    -- The country's code only where its name is shown (for naming it in the reader's language).
    CASE WHEN a.country_shown THEN a.country_iso3 END AS iso3,
    CASE WHEN a.country_shown THEN a.region ELSE a.place_pool END AS region,
    CASE WHEN a.country_shown THEN a.subregion END AS subregion,
    a.language,
    a.theme_id,
    a.question_id,
    strftime(timezone($tz, a.submitted_at), '%Y-%m-%d') AS submitted_local,
    t.answer_redacted AS answer,
    array_to_string(a.codes, ', ') AS codes
FROM listed_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
) AS a
LEFT JOIN countries AS k ON k.iso3 = a.country_iso3
JOIN texts AS t
    ON t.import_id = a.import_id AND t.source_row = a.source_row AND t.question_id = a.question_id
ORDER BY submitted_local NULLS LAST, a.question_id, t.answer_redacted
