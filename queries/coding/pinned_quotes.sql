-- One row per quote an analyst pinned (quote_pins) whose answer an answer listing may show under
-- the filters (macros/listed_responses.sql) and which is still about its subject (a theme's
-- question, or an answer carrying the code; other kinds, a topic named by its label, as pinned,
-- since topics are found anew and not stored): the subject ($kind and id),
-- the redacted answer, its question, language, place as its card shows it (the country's ISO3
-- and name only where the card names it, else `region`, the region of its pool of small
-- countries or NULL), its stakeholder type only where macros/quote_types.sql allows it (else
-- NULL), where the answer is (import, source row, question) and when it was pinned. An answer
-- given twice alike by one respondent to one question is quoted once. No respondent id.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $k, $answer_languages (languages detected in
-- the answers, or NULL).
WITH listed AS (
    SELECT *
    FROM listed_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
    )
),
found AS (
    SELECT
        p.kind,
        p.subject_id,
        p.pinned_at,
        a.answer_redacted AS answer,
        l.*,
        row_number() OVER (
            PARTITION BY p.kind, p.subject_id, p.respondent_id, p.question_id, p.answer_hash
            ORDER BY l.import_id, l.source_row
        ) AS nth
    FROM quote_pins AS p
    JOIN responses AS a
        ON a.consultation_id = p.consultation_id
        AND a.respondent_id = p.respondent_id
        AND a.question_id = p.question_id
        AND md5(a.answer) = p.answer_hash
    JOIN listed AS l
        ON l.import_id = a.import_id
        AND l.source_row = a.source_row
        AND l.question_id = a.question_id
    WHERE p.consultation_id = $consultation
        AND (
            (p.kind = 'theme' AND l.theme_id = p.subject_id)
            OR (p.kind = 'code' AND list_contains(l.codes, p.subject_id))
            OR p.kind NOT IN ('theme', 'code')
        )
)
SELECT
    f.kind,
    f.subject_id,
    f.answer,
    f.import_id,
    f.source_row,
    f.question_id,
    f.theme_id,
    f.language,
    CASE WHEN f.country_shown THEN f.country_iso3 END AS iso3,
    CASE WHEN f.country_shown THEN k.name_en END AS country,
    CASE WHEN f.country_shown THEN f.region ELSE f.place_pool END AS region,
    CASE WHEN t.shown THEN f.stakeholder_type END AS stakeholder_type,
    f.pinned_at
FROM found AS f
LEFT JOIN countries AS k ON k.iso3 = f.country_iso3
JOIN quote_types($consultation, $k) AS t
    ON t.place = CASE
        WHEN f.country_shown THEN 'country:' || f.country
        WHEN f.place_pool IS NOT NULL THEN 'pool:' || f.place_pool
        ELSE 'unnamed'
    END
    AND t.language = f.language
    AND t.stakeholder_type = f.stakeholder_type
WHERE f.nth = 1
ORDER BY f.kind, f.subject_id, f.pinned_at, f.import_id, f.source_row, f.question_id
