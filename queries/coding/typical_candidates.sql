-- One row per response an answer listing may show under the filters (macros/listed_responses.sql)
-- that is about the subject: for $kind 'theme', the answers to the questions of theme $subject;
-- for 'code', the answers carrying code $subject. At most $limit of them, the same ones on every
-- run (ordered by a fixed hash of where the answer is, not by time or respondent), each with what
-- a quote shows of it: the redacted answer, its question, language, place as its card shows it
-- (the country's ISO3 and name only where the card names it, else `region`, the region of its
-- pool of small countries or NULL), and its stakeholder type only where macros/quote_types.sql
-- allows it (else NULL); where the answer is (import, source row, question), whether it is
-- pinned under this subject, and in every row the distinct respondents and the responses of the
-- whole subject (before the limit), so that a subject of fewer than k respondents lists nothing.
-- No respondent id.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $k, $answer_languages (languages detected in
-- the answers, or NULL), $kind, $subject, $limit.
WITH subject AS (
    SELECT s.*
    FROM listed_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
    ) AS s
    WHERE ($kind = 'theme' AND s.theme_id = $subject)
        OR ($kind = 'code' AND list_contains(s.codes, $subject))
),
size AS (
    SELECT count(DISTINCT respondent_key) AS respondents, count(*) AS responses FROM subject
),
chosen AS (
    SELECT *
    FROM subject
    ORDER BY hash(import_id, source_row, question_id), import_id, source_row, question_id
    LIMIT $limit
),
pins AS (
    SELECT respondent_id, question_id, answer_hash
    FROM quote_pins
    WHERE consultation_id = $consultation AND kind = $kind AND subject_id = $subject
)
SELECT
    a.answer_redacted AS answer,
    c.import_id,
    c.source_row,
    c.question_id,
    c.theme_id,
    c.language,
    CASE WHEN c.country_shown THEN c.country_iso3 END AS iso3,
    CASE WHEN c.country_shown THEN k.name_en END AS country,
    CASE WHEN c.country_shown THEN c.region ELSE c.place_pool END AS region,
    CASE WHEN t.shown THEN c.stakeholder_type END AS stakeholder_type,
    p.answer_hash IS NOT NULL AS pinned,
    z.respondents,
    z.responses
FROM chosen AS c
JOIN responses AS a
    ON a.consultation_id = $consultation
    AND a.import_id = c.import_id
    AND a.source_row = c.source_row
    AND a.question_id = c.question_id
LEFT JOIN countries AS k ON k.iso3 = c.country_iso3
JOIN quote_types($consultation, $k) AS t
    ON t.place = CASE
        WHEN c.country_shown THEN 'country:' || c.country
        WHEN c.place_pool IS NOT NULL THEN 'pool:' || c.place_pool
        ELSE 'unnamed'
    END
    AND t.language = c.language
    AND t.stakeholder_type = c.stakeholder_type
LEFT JOIN pins AS p
    ON p.respondent_id = a.respondent_id
    AND p.question_id = a.question_id
    AND p.answer_hash = md5(a.answer)
CROSS JOIN size AS z
ORDER BY c.import_id, c.source_row, c.question_id
