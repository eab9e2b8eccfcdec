-- Adds one row per profile and code of the consultation ('(none)' for answers no code tags)
-- with at least one response carrying it: the responses, the respondents with at least one,
-- and their record-key sums; for one profile, or with $profile NULL for all.
-- Parameters: $consultation, $profile.
INSERT INTO cube_codes
WITH coded AS (
    SELECT
        p.profile_id,
        unnest(CASE WHEN len(f.codes) = 0 THEN ['(none)'] ELSE f.codes END) AS code_id,
        f.respondent_key,
        f.record_key
    FROM response_facts AS f
    JOIN cube_respondents AS p
        ON p.consultation_id = f.consultation_id AND p.respondent_key = f.respondent_key
    WHERE f.consultation_id = $consultation AND ($profile IS NULL OR p.profile_id = $profile)
),
per_respondent AS (
    SELECT profile_id, code_id, respondent_key, record_key, count(*) AS responses
    FROM coded
    GROUP BY ALL
)
SELECT
    $consultation,
    profile_id,
    code_id,
    count(*) AS respondents,
    sum(responses)::BIGINT AS responses,
    sum(record_key)::HUGEINT AS respondent_key_sum,
    sum(record_key::HUGEINT * responses) AS response_key_sum
FROM per_respondent
GROUP BY profile_id, code_id
