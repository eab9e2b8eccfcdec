-- One row per keyword of each code of the codebook (in its order), and one per code for the
-- answers an analyst gave it by hand (`keyword` NULL): how many responses matching the filters
-- carry the code through that keyword (each tag keeps the first keyword that found it, so a
-- code's rows add up to its tags). Keywords that found nothing are listed with 0.
-- With the respondents behind each count (for small-count suppression) and the sums mod 2^32 of
-- their record keys (respondent_key_sum, response_key_sum), from which
-- dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH code_keywords AS (
    SELECT c.code_id, c.position, k.keyword, k.rank
    FROM codes AS c,
        unnest(c.keywords) WITH ORDINALITY AS k(keyword, rank)
    WHERE c.consultation_id = $consultation
    UNION ALL
    SELECT c.code_id, c.position, NULL, NULL
    FROM codes AS c
    WHERE c.consultation_id = $consultation
),
per_respondent AS (
    SELECT t.code_id, t.matched AS keyword, s.respondent_key, s.record_key, count(*) AS responses
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS s
    JOIN response_codes AS t
        ON t.consultation_id = $consultation
        AND t.import_id = s.import_id
        AND t.source_row = s.source_row
        AND t.question_id = s.question_id
    GROUP BY ALL
),
found AS (
    SELECT
        code_id,
        keyword,
        count(*) AS respondents,
        sum(responses)::BIGINT AS responses,
        sum(record_key)::HUGEINT AS respondent_key_sum,
        sum(record_key::HUGEINT * responses) AS response_key_sum
    FROM per_respondent
    GROUP BY code_id, keyword
)
SELECT
    k.code_id,
    k.keyword,
    coalesce(f.respondents, 0) AS respondents,
    coalesce(f.responses, 0) AS responses,
    (coalesce(f.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(f.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM code_keywords AS k
LEFT JOIN found AS f ON f.code_id = k.code_id AND f.keyword IS NOT DISTINCT FROM k.keyword
ORDER BY k.position, k.rank NULLS LAST
