-- One row per language (ISO 639-1, 'und' where unknown): every language of the consultation
-- (zero where none) and every other language respondents used, with respondents and responses.
-- With the sums mod 2^32 of the counted records' keys (respondent_key_sum, response_key_sum),
-- from which dashboard/protection/perturbation.py draws a filtered cell's noise.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz.
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
WITH counted AS (
    SELECT respondent_key, record_key, language
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
),
answered AS (
    SELECT language, count(*) AS responses, sum(record_key)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
    GROUP BY language
),
consultation_languages AS (
    SELECT unnest(languages) AS language
    FROM consultations
    WHERE consultation_id = $consultation
),
all_languages AS (
    SELECT language FROM consultation_languages
    UNION
    SELECT language FROM counted
)
SELECT
    l.language,
    count(c.respondent_key) AS respondents,
    coalesce(any_value(a.responses), 0) AS responses,
    (coalesce(sum(c.record_key), 0)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(any_value(a.response_key_sum), 0) % 4294967296)::BIGINT AS response_key_sum
FROM all_languages AS l
LEFT JOIN counted AS c USING (language)
LEFT JOIN answered AS a USING (language)
GROUP BY l.language
ORDER BY respondents DESC, l.language
