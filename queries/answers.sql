-- One row per response matching the filters and, when $search is not NULL, containing every
-- word of it (case-insensitive), newest first, one page of $page_size rows from $offset: the
-- answer text, question, theme, language, region, country and time. No respondent id: the
-- listing must not say who answered.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $date_from, $date_to, $tz, $search (list of words, or NULL), $page_size, $offset.
SELECT
    a.answer,
    a.question_id,
    a.theme_id,
    a.language,
    a.region,
    coalesce(k.name_en, 'Unknown') AS country,
    a.submitted_at
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $date_from, $date_to, $tz
) AS a
LEFT JOIN countries AS k ON k.iso3 = a.country_iso3
WHERE $search IS NULL
    OR list_bool_and(list_transform($search, lambda w: contains(lower(a.answer), lower(w))))
ORDER BY a.submitted_at DESC NULLS LAST, a.respondent_id, a.question_id
LIMIT $page_size OFFSET $offset
