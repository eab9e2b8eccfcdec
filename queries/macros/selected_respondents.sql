-- One row per respondent of a consultation who passes the respondent filters: their facts
-- (respondent_key, profile, country, and period against the window).
-- Parameters (NULL means "no filter"): consultation; regions (M49 region or 'Unknown');
-- countries (ISO3 or 'Unknown'); languages (ISO 639-1 or 'und'); stakeholder_types;
-- date_from, date_to (inclusive dates, read in zone tz, on the respondent's submission time).
CREATE OR REPLACE MACRO selected_respondents(
    consultation, regions, countries, languages, stakeholder_types, date_from, date_to, tz
) AS TABLE
SELECT r.*
FROM respondent_facts AS r
WHERE r.consultation_id = consultation
    AND (regions IS NULL OR list_contains(regions, r.region))
    AND (countries IS NULL OR list_contains(countries, r.country))
    AND (languages IS NULL OR list_contains(languages, r.language))
    AND (stakeholder_types IS NULL OR list_contains(stakeholder_types, r.stakeholder_type))
    -- A day in zone tz runs from its local midnight to the next: bounds computed once, so
    -- no time is converted row by row.
    AND (date_from IS NULL OR r.submitted_at >= timezone(tz, date_from::TIMESTAMP))
    AND (date_to IS NULL OR r.submitted_at < timezone(tz, (date_to + 1)::TIMESTAMP))
