-- One row per code of the codebook (in its order) and language of the responses matching the
-- filters: how many answers carry the code by keyword (`tagged`) and how many do not
-- (`untagged`); of the tagged ones, how many have a reference verdict (`judged`) and how many
-- of those carry the code (`correct`: precision = correct / judged); of the untagged ones, how
-- many have a verdict (`untagged_judged`) and how many of those carry it all the same
-- (`missed`: the keywords' misses, for recall); and `disputed`, the pairs analysts disagree on
-- and nobody settled (left out of both until settled). The reference verdict on an answer and
-- a code is the settled one, else the analysts' when all who judged agree. Judgements of
-- answers no longer in the store are left out.
-- Each count `m` comes with the respondents whose answers it counts (`m_respondents`: a
-- respondent has one language, so they add up over languages) and the sum mod 2^32 of its
-- answers' record keys (`m_key_sum`), from which dashboard/protection/perturbation.py draws a
-- filtered count's noise (dashboard/protection/privacy.py releases them; never shown), and
-- `language_respondents`, the respondents who answered in that language (the same on every
-- code's row), whose small languages are hidden whole as on the Languages page.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH answers AS (
    SELECT s.import_id, s.source_row, s.question_id, s.language, s.respondent_key,
        s.record_key, a.respondent_id, md5(a.answer) AS answer_hash
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, NULL, $date_from, $date_to, $tz, answer_languages := $answer_languages
    ) AS s
    JOIN responses AS a
        ON a.consultation_id = $consultation
        AND a.import_id = s.import_id
        AND a.source_row = s.source_row
        AND a.question_id = s.question_id
),
review_codes AS (
    SELECT c.code_id, c.position
    FROM codes AS c
    WHERE c.consultation_id = $consultation
        AND ($codes IS NULL OR list_contains($codes, c.code_id))
),
keyword_tags AS (
    SELECT DISTINCT t.import_id, t.source_row, t.question_id, t.code_id
    FROM response_codes AS t
    WHERE t.consultation_id = $consultation AND t.source = 'keyword'
),
coders AS (
    SELECT respondent_id, question_id, answer_hash, code_id,
        bool_and(applies) AS all_yes, bool_or(applies) AS any_yes
    FROM tag_codings
    WHERE consultation_id = $consultation
    GROUP BY ALL
),
verdicts AS (
    SELECT
        coalesce(s.respondent_id, c.respondent_id) AS respondent_id,
        coalesce(s.question_id, c.question_id) AS question_id,
        coalesce(s.answer_hash, c.answer_hash) AS answer_hash,
        coalesce(s.code_id, c.code_id) AS code_id,
        CASE
            WHEN s.code_id IS NOT NULL THEN s.applies
            WHEN c.all_yes = c.any_yes THEN c.all_yes
        END AS applies
    FROM coders AS c
    FULL JOIN (SELECT * FROM tag_settlements WHERE consultation_id = $consultation) AS s
        USING (respondent_id, question_id, answer_hash, code_id)
),
pairs AS (
    SELECT
        c.code_id,
        c.position,
        a.language,
        a.respondent_key,
        a.record_key,
        k.code_id IS NOT NULL AS tagged,
        v.code_id IS NOT NULL AS judged,
        v.applies
    FROM answers AS a
    CROSS JOIN review_codes AS c
    LEFT JOIN keyword_tags AS k
        ON k.import_id = a.import_id
        AND k.source_row = a.source_row
        AND k.question_id = a.question_id
        AND k.code_id = c.code_id
    LEFT JOIN verdicts AS v
        ON v.respondent_id = a.respondent_id
        AND v.question_id = a.question_id
        AND v.answer_hash = a.answer_hash
        AND v.code_id = c.code_id
),
languages AS (
    SELECT language, count(DISTINCT respondent_key) AS language_respondents
    FROM answers
    GROUP BY language
),
-- Counted per respondent first: respondents are then rows, and their record keys add up
-- without a DISTINCT.
per_respondent AS (
    SELECT
        code_id,
        position,
        language,
        record_key,
        count(*) FILTER (WHERE tagged) AS tagged,
        count(*) FILTER (WHERE NOT tagged) AS untagged,
        count(*) FILTER (WHERE tagged AND applies IS NOT NULL) AS judged,
        count(*) FILTER (WHERE tagged AND applies) AS correct,
        count(*) FILTER (WHERE NOT tagged AND applies IS NOT NULL) AS untagged_judged,
        count(*) FILTER (WHERE NOT tagged AND applies) AS missed,
        count(*) FILTER (WHERE judged AND applies IS NULL) AS disputed
    FROM pairs
    GROUP BY code_id, position, language, respondent_key, record_key
)
SELECT
    p.code_id,
    p.language,
    sum(tagged)::BIGINT AS tagged,
    sum(untagged)::BIGINT AS untagged,
    sum(judged)::BIGINT AS judged,
    sum(correct)::BIGINT AS correct,
    sum(untagged_judged)::BIGINT AS untagged_judged,
    sum(missed)::BIGINT AS missed,
    sum(disputed)::BIGINT AS disputed,
    count(*) FILTER (WHERE tagged > 0) AS tagged_respondents,
    count(*) FILTER (WHERE untagged > 0) AS untagged_respondents,
    count(*) FILTER (WHERE judged > 0) AS judged_respondents,
    count(*) FILTER (WHERE correct > 0) AS correct_respondents,
    count(*) FILTER (WHERE untagged_judged > 0) AS untagged_judged_respondents,
    count(*) FILTER (WHERE missed > 0) AS missed_respondents,
    count(*) FILTER (WHERE disputed > 0) AS disputed_respondents,
    (sum(record_key::HUGEINT * tagged) % 4294967296)::BIGINT AS tagged_key_sum,
    (sum(record_key::HUGEINT * untagged) % 4294967296)::BIGINT AS untagged_key_sum,
    (sum(record_key::HUGEINT * judged) % 4294967296)::BIGINT AS judged_key_sum,
    (sum(record_key::HUGEINT * correct) % 4294967296)::BIGINT AS correct_key_sum,
    (sum(record_key::HUGEINT * untagged_judged) % 4294967296)::BIGINT AS untagged_judged_key_sum,
    (sum(record_key::HUGEINT * missed) % 4294967296)::BIGINT AS missed_key_sum,
    (sum(record_key::HUGEINT * disputed) % 4294967296)::BIGINT AS disputed_key_sum,
    any_value(l.language_respondents) AS language_respondents
FROM per_respondent AS p
JOIN languages AS l USING (language)
GROUP BY p.code_id, p.position, p.language
ORDER BY p.position, p.language
