-- One row per response matching the filters, oldest first, for the report pack: the answer with
-- its question, theme, language, region, sub-region and country, and its time in zone $tz. No
-- respondent id: files must not say who answered.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $date_from, $date_to, $tz.
SELECT
    coalesce(k.name_en, 'Unknown') AS country,
    a.region,
    a.subregion,
    a.language,
    a.theme_id,
    a.question_id,
    strftime(timezone($tz, a.submitted_at), '%Y-%m-%d %H:%M:%S') AS submitted_local,
    a.answer
FROM selected_responses(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $date_from, $date_to, $tz
) AS a
LEFT JOIN countries AS k ON k.iso3 = a.country_iso3
ORDER BY a.submitted_at NULLS LAST, a.question_id, a.answer
