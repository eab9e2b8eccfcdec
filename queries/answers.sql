-- One row per response matching the filters and, when $search is not NULL, containing every
-- word of it (case-insensitive) in the text shown, newest first, one page of $page_size rows
-- from $offset: the answer (redacted, or as written when $raw), question, theme, language,
-- region, and the country only where at least $k counted respondents share it. No respondent
-- id: the listing must not say who answered.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $date_from, $date_to, $tz, $search (list of words, or NULL), $raw, $k,
-- $page_size, $offset.
WITH country_sizes AS (
    SELECT country_iso3, count(*) AS respondents
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $date_from, $date_to, $tz
    )
    GROUP BY country_iso3
),
shown AS (
    SELECT
        CASE WHEN $raw THEN a.answer ELSE a.answer_redacted END AS answer,
        a.*  EXCLUDE (answer)
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $date_from, $date_to, $tz
    ) AS a
)
SELECT
    s.answer,
    s.question_id,
    s.theme_id,
    s.language,
    s.region,
    CASE WHEN z.respondents >= $k THEN k.name_en END AS country,
    s.submitted_at
FROM shown AS s
LEFT JOIN country_sizes AS z ON z.country_iso3 = s.country_iso3
LEFT JOIN countries AS k ON k.iso3 = s.country_iso3
WHERE $search IS NULL
    OR list_bool_and(list_transform($search, lambda w: contains(lower(s.answer), lower(w))))
ORDER BY s.submitted_at DESC NULLS LAST, s.respondent_id, s.question_id
LIMIT $page_size OFFSET $offset
