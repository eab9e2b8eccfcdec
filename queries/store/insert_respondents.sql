-- Adds one row per respondent id of the registered frame `new_respondents` not yet in the
-- consultation (a respondent named by an earlier import keeps that import's attributes).
-- Parameters: $consultation, $import_id.
INSERT INTO respondents
SELECT
    $consultation AS consultation_id,
    n.respondent_id,
    $import_id AS import_id,
    n.submitted_at,
    n.country_raw,
    n.country_iso3,
    n.region,
    n.subregion,
    n.language_raw,
    n.language,
    n.stakeholder_type
FROM new_respondents AS n
ANTI JOIN respondents AS r
    ON r.consultation_id = $consultation AND r.respondent_id = n.respondent_id
