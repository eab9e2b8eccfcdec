-- One row per language (ISO 639-1, 'und' where unknown): every language of the consultation (zero
-- where none) and every other language respondents used, with respondents and responses, with the
-- sums mod 2^32 of their record keys.
-- The cube's twin of queries/by_language.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
WITH counted AS (
    SELECT
        language,
        sum(respondents) AS respondents,
        sum(responses) AS responses,
        sum(respondent_key_sum) AS respondent_key_sum,
        sum(response_key_sum) AS response_key_sum
    FROM selected_profiles($consultation, $regions, $countries, $languages, $stakeholder_types)
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
    coalesce(c.respondents, 0)::BIGINT AS respondents,
    coalesce(c.responses, 0)::BIGINT AS responses,
    (coalesce(c.respondent_key_sum, 0) % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(c.response_key_sum, 0) % 4294967296)::BIGINT AS response_key_sum
FROM all_languages AS l
LEFT JOIN counted AS c USING (language)
ORDER BY respondents DESC, l.language
