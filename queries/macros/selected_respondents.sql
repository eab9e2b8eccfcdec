-- One row per respondent of a consultation who passes the respondent filters, with the period
-- ('before', 'during', 'after' or 'unknown') of their submission against the window
-- (opens <= submitted_at <= closes is 'during').
-- Parameters (NULL means "no filter"): consultation; regions (M49 region or 'Unknown');
-- countries (ISO3 or 'Unknown'); languages (ISO 639-1 or 'und'); stakeholder_types;
-- date_from, date_to (inclusive dates, read in zone tz, on the respondent's submission time).
CREATE OR REPLACE MACRO selected_respondents(
    consultation, regions, countries, languages, stakeholder_types, date_from, date_to, tz
) AS TABLE
SELECT
    r.*,
    CASE
        WHEN r.submitted_at IS NULL THEN 'unknown'
        WHEN r.submitted_at < c.opens THEN 'before'
        WHEN r.submitted_at > c.closes THEN 'after'
        ELSE 'during'
    END AS period
FROM respondents AS r
JOIN consultations AS c USING (consultation_id)
WHERE r.consultation_id = consultation
    AND (regions IS NULL OR list_contains(regions, r.region))
    AND (countries IS NULL OR list_contains(countries, coalesce(r.country_iso3, 'Unknown')))
    AND (languages IS NULL OR list_contains(languages, r.language))
    AND (stakeholder_types IS NULL OR list_contains(stakeholder_types, r.stakeholder_type))
    AND (date_from IS NULL OR timezone(tz, r.submitted_at)::DATE >= date_from)
    AND (date_to IS NULL OR timezone(tz, r.submitted_at)::DATE <= date_to)
