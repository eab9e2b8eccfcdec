-- One row per response an answer listing may show under the filters (macros/listed_responses.sql),
-- for finding topics among them (dashboard/coding/topics.py): the redacted answer as stored, its
-- language, and the region a card of it names (the country's region where the country is shown,
-- else the region of its pool of small countries, else NULL). `respondent_key` and `record_key`
-- only count respondents per topic and draw the perturbation of those counts: they never leave
-- topics.py. In a fixed order (import, source row, question), so that the same answers give
-- the same topics.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $k, $answer_languages (languages detected in
-- the answers, or NULL).
SELECT
    a.answer_redacted AS answer,
    s.language,
    CASE WHEN s.country_shown THEN s.region ELSE s.place_pool END AS region,
    s.respondent_key,
    s.record_key
FROM listed_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
) AS s
JOIN responses AS a
    ON a.consultation_id = $consultation
    AND a.import_id = s.import_id
    AND a.source_row = s.source_row
    AND a.question_id = s.question_id
WHERE a.answer_redacted IS NOT NULL AND trim(a.answer_redacted) <> ''
ORDER BY s.import_id, s.source_row, s.question_id
