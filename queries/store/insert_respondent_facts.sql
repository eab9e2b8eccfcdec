-- Adds one row per respondent of the consultation in the temporary table facts_scope (all of
-- them, or those an import touched: scope_all_respondents.sql, scope_affected_respondents.sql):
-- their profile, their key from facts_scope, the country ('Unknown' where none was recognised)
-- and the period of their submission against the window (opens <= submitted_at <= closes is
-- 'during') and their record key for perturbation (from the store's secret and their id).
-- Parameters: $consultation.
INSERT INTO respondent_facts
SELECT
    r.consultation_id,
    s.respondent_key,
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
    END AS period,
    md5_number_lower(k.secret || '|' || r.respondent_id) % 4294967296 AS record_key
FROM respondents AS r
JOIN facts_scope AS s USING (respondent_id)
JOIN consultations AS c USING (consultation_id)
CROSS JOIN (SELECT any_value(secret) AS secret FROM disclosure_secret) AS k
WHERE r.consultation_id = $consultation
