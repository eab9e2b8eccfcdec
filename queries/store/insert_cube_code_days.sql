-- Adds one row per profile, local day (in the consultation's zone) and code of the consultation
-- with at least one tagged response that day: the responses, the respondents with at least
-- one, and their record-key sums; for one profile, or with $profile NULL for all. Times that
-- could not be read are left out. Parameters: $consultation, $profile.
INSERT INTO cube_code_days
WITH zone AS (
    SELECT timezone FROM consultations WHERE consultation_id = $consultation
),
coded AS (
    SELECT
        p.profile_id,
        date_trunc('day', timezone(z.timezone, f.submitted_at)) AS bin_start,
        unnest(f.codes) AS code_id,
        f.respondent_key,
        f.record_key
    FROM response_facts AS f
    JOIN cube_respondents AS p
        ON p.consultation_id = f.consultation_id AND p.respondent_key = f.respondent_key
    CROSS JOIN zone AS z
    WHERE f.consultation_id = $consultation
        AND f.submitted_at IS NOT NULL
        AND ($profile IS NULL OR p.profile_id = $profile)
),
per_respondent AS (
    SELECT profile_id, bin_start, code_id, respondent_key, record_key, count(*) AS responses
    FROM coded
    GROUP BY ALL
)
SELECT
    $consultation,
    profile_id,
    bin_start,
    code_id,
    count(*) AS respondents,
    sum(responses)::BIGINT AS responses,
    sum(record_key)::HUGEINT AS respondent_key_sum,
    sum(record_key::HUGEINT * responses) AS response_key_sum
FROM per_respondent
GROUP BY profile_id, bin_start, code_id
