-- One row per response an answer listing may show under the filters (macros/listed_responses.sql),
-- for finding topics among them (dashboard/coding/topics.py): the redacted answer as stored, its
-- language, and the region a card of it names (the country's region where the country is shown,
-- else the region of its pool of small countries, else NULL). `respondent_key` and `record_key`
-- only count respondents per topic and draw the perturbation of those counts: they never leave
-- topics.py. What a quote of the answer shows, for a topic's typical answers: its question and
-- theme, the country's ISO3 and name only where the card names it, and its stakeholder type only
-- where macros/quote_types.sql allows it (else NULL); and where the answer is (import, source
-- row, question), which only a pin uses and no page shows. No respondent id. In a fixed order
-- (import, source row, question), so that the same answers give the same topics.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz, $k, $answer_languages (languages detected in
-- the answers, or NULL).
SELECT
    a.answer_redacted AS answer,
    s.language,
    CASE WHEN s.country_shown THEN s.region ELSE s.place_pool END AS region,
    s.respondent_key,
    s.record_key,
    s.import_id,
    s.source_row,
    s.question_id,
    s.theme_id,
    CASE WHEN s.country_shown THEN s.country_iso3 END AS iso3,
    CASE WHEN s.country_shown THEN k.name_en END AS country,
    CASE WHEN t.shown THEN s.stakeholder_type END AS stakeholder_type
FROM listed_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz, $k, answer_languages := $answer_languages
) AS s
JOIN responses AS a
    ON a.consultation_id = $consultation
    AND a.import_id = s.import_id
    AND a.source_row = s.source_row
    AND a.question_id = s.question_id
LEFT JOIN countries AS k ON k.iso3 = s.country_iso3
-- A left join: a stakeholder type the quote rules give no verdict on is not named, and the
-- answer still counts in its topic.
LEFT JOIN quote_types($consultation, $k) AS t
    ON t.place = CASE
        WHEN s.country_shown THEN 'country:' || s.country
        WHEN s.place_pool IS NOT NULL THEN 'pool:' || s.place_pool
        ELSE 'unnamed'
    END
    AND t.language = s.language
    AND t.stakeholder_type = s.stakeholder_type
WHERE a.answer_redacted IS NOT NULL AND trim(a.answer_redacted) <> ''
ORDER BY s.import_id, s.source_row, s.question_id
