-- One row per consultation: how many respondents and responses pass the filters, and the sums
-- of their record keys (respondent_facts.record_key, response_facts.record_key), from which
-- dashboard/protection/perturbation.py draws the noise of a filtered figure.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz (see macros/selected_responses.sql).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
SELECT
    c.respondents,
    (c.respondent_key_sum % 4294967296)::BIGINT AS respondent_key_sum,
    a.responses,
    (a.response_key_sum % 4294967296)::BIGINT AS response_key_sum
FROM (
    SELECT count(*) AS respondents, coalesce(sum(record_key), 0)::HUGEINT AS respondent_key_sum
    FROM counted_respondents(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
) AS c,
(
    SELECT count(*) AS responses, coalesce(sum(record_key), 0)::HUGEINT AS response_key_sum
    FROM selected_responses(
        $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
        $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
    )
) AS a
