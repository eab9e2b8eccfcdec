-- One row per (answer, code) drawn for an analyst ($coder) to judge whether the answer carries
-- the code, among the responses an answer listing may show under the filters
-- (macros/listed_responses.sql, so that two samples set side by side single out nothing
-- their cards do not show): with $kind = 'tagged', codes a keyword
-- gave (is the keyword right? precision); with 'untagged', codes no keyword gave (was it
-- missed? recall). With $second false, only pairs nobody has judged yet; with $second true,
-- pairs another analyst judged and $coder has not (a blind second coding: their verdict is
-- not returned). $codes, when not NULL, names the codes to review (it does not narrow the
-- answers: an untagged sample of a code has none of it). Stratified by code and language:
-- every (code, language) gets one pair before any gets two, judged pairs counted, in an order
-- fixed by $seed (the same seed draws the same sample). `population` counts all the pairs it
-- was drawn from, `population_respondents` the respondents whose answers they are and
-- `population_key_sum` the sum mod 2^32 of the pairs' record keys (from which
-- dashboard/protection/perturbation.py draws the noise of that figure under a filter).
-- The answer as shown (redacted), where it is, the code, the keyword that found it (NULL when
-- untagged), the language. No respondent id.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $coder, $kind, $second, $seed, $size, $k.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH answers AS (
    SELECT
        s.import_id,
        s.source_row,
        s.question_id,
        s.language,
        s.respondent_key,
        s.record_key,
        a.respondent_id,
        a.answer_redacted,
        md5(a.answer) AS answer_hash
    FROM listed_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, NULL, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
    ) AS s
    JOIN responses AS a
        ON a.consultation_id = $consultation
        AND a.import_id = s.import_id
        AND a.source_row = s.source_row
        AND a.question_id = s.question_id
),
review_codes AS (
    SELECT c.code_id
    FROM codes AS c
    WHERE c.consultation_id = $consultation
        AND ($codes IS NULL OR list_contains($codes, c.code_id))
),
keyword_tags AS (
    SELECT t.import_id, t.source_row, t.question_id, t.code_id, t.matched
    FROM response_codes AS t
    WHERE t.consultation_id = $consultation AND t.source = 'keyword'
),
candidates AS (
    -- Turns are dealt over every pair, judged or not, so a stratum whose first pairs were
    -- judged waits for the others instead of coming first again.
    SELECT
        a.*,
        c.code_id,
        k.matched,
        row_number() OVER (
            PARTITION BY c.code_id, a.language
            ORDER BY hash(a.import_id, a.source_row, a.question_id, c.code_id, $seed)
        ) AS turn
    FROM answers AS a
    CROSS JOIN review_codes AS c
    LEFT JOIN keyword_tags AS k
        ON k.import_id = a.import_id
        AND k.source_row = a.source_row
        AND k.question_id = a.question_id
        AND k.code_id = c.code_id
    WHERE (k.code_id IS NOT NULL) = ($kind = 'tagged')
),
coded AS (
    SELECT
        d.respondent_id,
        d.question_id,
        d.answer_hash,
        d.code_id,
        bool_or(d.coder = $coder) AS by_me,
        bool_or(d.coder <> $coder) AS by_others
    FROM tag_codings AS d
    WHERE d.consultation_id = $consultation
    GROUP BY ALL
),
open_pairs AS (
    SELECT p.*
    FROM candidates AS p
    LEFT JOIN coded AS d
        ON d.respondent_id = p.respondent_id
        AND d.question_id = p.question_id
        AND d.answer_hash = p.answer_hash
        AND d.code_id = p.code_id
    WHERE CASE
        WHEN $second THEN coalesce(d.by_others AND NOT d.by_me, false)
        ELSE d.code_id IS NULL
    END
),
per_respondent AS (
    SELECT respondent_key, record_key, count(*) AS pairs
    FROM open_pairs
    GROUP BY ALL
),
population AS (
    SELECT
        sum(pairs)::BIGINT AS population,
        count(*) AS population_respondents,
        (sum(record_key::HUGEINT * pairs) % 4294967296)::BIGINT AS population_key_sum
    FROM per_respondent
)
SELECT
    o.answer_redacted AS answer,
    o.question_id,
    o.code_id,
    o.matched,
    o.language,
    o.import_id,
    o.source_row,
    p.population,
    p.population_respondents,
    p.population_key_sum
FROM open_pairs AS o
CROSS JOIN population AS p
ORDER BY o.turn, hash(o.code_id, o.language, $seed), o.code_id, o.language
LIMIT $size
