-- Adds one row per respondent of the consultation: their profile, a key numbering them, the
-- country ('Unknown' where none was recognised) and the period of their submission against the
-- window (opens <= submitted_at <= closes is 'during'). Parameters: $consultation.
INSERT INTO respondent_facts
SELECT
    r.consultation_id,
    row_number() OVER (ORDER BY r.respondent_id)::INTEGER AS respondent_key,
    r.respondent_id,
    r.submitted_at,
    r.country_raw,
    r.country_iso3,
    r.region,
    r.subregion,
    r.language_raw,
    r.language,
    r.stakeholder_type,
    coalesce(r.country_iso3, 'Unknown') AS country,
    CASE
        WHEN r.submitted_at IS NULL THEN 'unknown'
        WHEN r.submitted_at < c.opens THEN 'before'
        WHEN r.submitted_at > c.closes THEN 'after'
        ELSE 'during'
    END AS period
FROM respondents AS r
JOIN consultations AS c USING (consultation_id)
WHERE r.consultation_id = $consultation
