-- One row per consultation: how many respondents and responses pass the filters, and the sums
-- of their record keys (each a number in [0, 2^32) from the store's secret and the respondent's
-- id, or the response's place), from which the perturbation of a filtered figure is drawn.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz (see macros/selected_responses.sql).
WITH secret AS (
    SELECT any_value(secret) AS secret FROM disclosure_secret
),
counted AS (
    SELECT
        count(*) AS respondents,
        coalesce(sum(md5_number_lower(s.secret || '|' || r.respondent_id) % 4294967296), 0)
            AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS r, secret AS s
),
answered AS (
    SELECT
        count(*) AS responses,
        coalesce(sum(md5_number_lower(
            s.secret || '|' || f.import_id || '|' || f.source_row || '|' || f.question_id
        ) % 4294967296), 0) AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz
    ) AS f, secret AS s
)
SELECT
    c.respondents,
    c.respondent_key_sum::HUGEINT AS respondent_key_sum,
    a.responses,
    a.response_key_sum::HUGEINT AS response_key_sum
FROM counted AS c, answered AS a
