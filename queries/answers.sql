-- One row per response matching the filters and, when $search is not NULL, containing every
-- word of it (case-insensitive) in the text shown, newest first, one page of $page_size rows
-- from $offset: the answer (redacted, or as written when $raw), question, theme, language,
-- region, the country only where at least $k counted respondents share it, where the answer
-- is (import, source row, question: how an analyst's tag names it) and its codes (a list of
-- code, 'keyword' or 'analyst', and the keyword that found it). No respondent id: the listing
-- must not say who answered.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $search (list of words, or NULL), $raw, $k,
-- $page_size, $offset.
WITH country_sizes AS (
    SELECT country_iso3, count(*) AS respondents
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    )
    GROUP BY country_iso3
),
shown AS (
    SELECT
        CASE WHEN $raw THEN a.answer ELSE a.answer_redacted END AS answer,
        a.*  EXCLUDE (answer)
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS a
),
page AS (
    SELECT
        s.answer,
        s.question_id,
        s.theme_id,
        s.language,
        s.region,
        CASE WHEN z.respondents >= $k THEN k.name_en END AS country,
        s.submitted_at,
        s.import_id,
        s.source_row
    FROM shown AS s
    LEFT JOIN country_sizes AS z ON z.country_iso3 = s.country_iso3
    LEFT JOIN countries AS k ON k.iso3 = s.country_iso3
    WHERE $search IS NULL
        OR list_bool_and(list_transform($search, lambda w: contains(lower(s.answer), lower(w))))
    ORDER BY s.submitted_at DESC NULLS LAST, s.import_id, s.source_row, s.question_id
    LIMIT $page_size OFFSET $offset
),
page_codes AS (
    SELECT
        p.import_id,
        p.source_row,
        p.question_id,
        list(
            {'code_id': t.code_id, 'source': t.source, 'matched': t.matched} ORDER BY t.code_id
        ) AS codes
    FROM page AS p
    JOIN response_codes AS t
        ON t.consultation_id = $consultation
        AND t.import_id = p.import_id
        AND t.source_row = p.source_row
        AND t.question_id = p.question_id
    GROUP BY ALL
)
SELECT p.*, coalesce(c.codes, []) AS codes
FROM page AS p
LEFT JOIN page_codes AS c USING (import_id, source_row, question_id)
ORDER BY p.submitted_at DESC NULLS LAST, p.import_id, p.source_row, p.question_id
