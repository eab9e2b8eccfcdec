-- One row per response an answer listing may show under the filters (macros/listed_responses.sql)
-- and, when $search is not NULL, containing every word of it in the text shown (words folded
-- like the answers' search texts: case, accents and Arabic letter forms do not matter;
-- queries/macros/searched_answers.sql), newest day first, one page of $page_size rows from
-- $offset: the answer (redacted, or as written when $raw), question, theme, language (declared,
-- and detected in the answer: answer_language, 'und' where none was), the
-- country (name and ISO3) only where at least $k respondents of the consultation share it,
-- else `region`, the region of its pool of small countries or NULL (macros/listing_places.sql),
-- where the answer is (import, source row, question: how an analyst's tag names it) and its
-- codes (a list of code, 'keyword' or 'analyst', and the keyword that found it). What a card
-- shows of an answer does not depend on the filters. No respondent id, and nothing that groups
-- answers by respondent: the day (in zone $tz), not the time, and within a day and question an
-- order that follows neither time nor source row.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $search (list of folded words, or NULL), $raw,
-- $k, $page_size, $offset, $answer_languages, $listed_from (a time, or NULL: answers before it
-- are not read; queries/answers_from.sql gives the latest that leaves the page the same, and
-- dashboard/store/queries.py passes it where the cube finds it cheaply).
WITH page AS (
    SELECT
        s.question_id,
        s.theme_id,
        s.language,
        s.answer_language,
        CASE WHEN s.country_shown THEN s.region ELSE s.place_pool END AS region,
        CASE WHEN s.country_shown THEN k.name_en END AS country,
        CASE WHEN s.country_shown THEN s.country_iso3 END AS iso3,
        timezone($tz, s.submitted_at)::DATE AS submitted_on,
        -- An order within a day and question that differs from question to question, so that
        -- the n-th answer to one question is not the n-th respondent's answer to another.
        (((s.source_row + s.import_id * 1000003 + 1) * (2 * coalesce(q.position, 0) + 3))
            % 4294967291)::UBIGINT * 2654435761 % 4294967291 AS shuffle,
        s.import_id,
        s.source_row,
        s.response_key
    FROM listed_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
    ) AS s
    LEFT JOIN searched_answers($consultation, $search, $raw) AS m
        USING (import_id, source_row, question_id)
    LEFT JOIN countries AS k ON k.iso3 = s.country_iso3
    LEFT JOIN questions AS q ON q.consultation_id = $consultation AND q.question_id = s.question_id
    WHERE ($search IS NULL OR m.import_id IS NOT NULL)
        AND ($listed_from IS NULL OR s.submitted_at >= $listed_from)
    ORDER BY submitted_on DESC NULLS LAST, s.question_id, shuffle, s.import_id, s.source_row
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
SELECT
    CASE WHEN $raw THEN a.answer ELSE a.answer_redacted END AS answer,
    p.* EXCLUDE (shuffle, response_key),
    coalesce(c.codes, []) AS codes
FROM page AS p
-- By the answer's number: DuckDB then reads only the blocks of answers that hold the page's.
JOIN responses AS a ON a.response_key = p.response_key
LEFT JOIN page_codes AS c
    ON c.import_id = p.import_id AND c.source_row = p.source_row AND c.question_id = p.question_id
ORDER BY p.submitted_on DESC NULLS LAST, p.question_id, p.shuffle, p.import_id, p.source_row
