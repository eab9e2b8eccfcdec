-- Adds one row per profile of the consultation (cube_respondents, built first): its attributes,
-- respondents, their responses, the respondents with at least one response, and the sums of
-- their record keys (whole, HUGEINT). Parameters: $consultation.
INSERT INTO cube_profiles
WITH answered AS (
    SELECT respondent_key, count(*) AS responses
    FROM response_facts
    WHERE consultation_id = $consultation
    GROUP BY respondent_key
)
SELECT
    r.consultation_id,
    p.profile_id,
    any_value(r.region),
    any_value(r.subregion),
    any_value(r.country),
    any_value(r.country_iso3),
    any_value(r.language),
    any_value(r.stakeholder_type),
    count(*) AS respondents,
    sum(r.record_key)::HUGEINT AS respondent_key_sum,
    coalesce(sum(a.responses), 0)::BIGINT AS responses,
    sum(r.record_key::HUGEINT * a.responses) AS response_key_sum,
    count(a.respondent_key) AS answering,
    (sum(r.record_key) FILTER (WHERE a.respondent_key IS NOT NULL))::HUGEINT AS answering_key_sum
FROM respondent_facts AS r
JOIN cube_respondents AS p
    ON p.consultation_id = r.consultation_id AND p.respondent_key = r.respondent_key
LEFT JOIN answered AS a ON a.respondent_key = r.respondent_key
WHERE r.consultation_id = $consultation
GROUP BY r.consultation_id, p.profile_id
