-- Adds one row per profile and quarter hour (UTC epoch // 900, NULL where the time could not be
-- read) of the consultation: respondents by their submission time and responses by theirs,
-- with their record-key sums. Parameters: $consultation.
INSERT INTO cube_quarters
WITH respondent_counts AS (
    SELECT p.profile_id, epoch(r.submitted_at)::BIGINT // 900 AS quarter,
        count(*) AS respondents, sum(r.record_key)::HUGEINT AS respondent_key_sum
    FROM respondent_facts AS r
    JOIN cube_respondents AS p
        ON p.consultation_id = r.consultation_id AND p.respondent_key = r.respondent_key
    WHERE r.consultation_id = $consultation
    GROUP BY ALL
),
response_counts AS (
    SELECT p.profile_id, epoch(f.submitted_at)::BIGINT // 900 AS quarter,
        count(*) AS responses, sum(f.record_key)::HUGEINT AS response_key_sum
    FROM response_facts AS f
    JOIN cube_respondents AS p
        ON p.consultation_id = f.consultation_id AND p.respondent_key = f.respondent_key
    WHERE f.consultation_id = $consultation
    GROUP BY ALL
)
-- Unread times (quarter NULL) never meet in the join: they stay two rows, which add up alike.
SELECT
    $consultation,
    profile_id,
    quarter,
    coalesce(r.respondents, 0),
    r.respondent_key_sum,
    coalesce(a.responses, 0),
    a.response_key_sum
FROM respondent_counts AS r
FULL JOIN response_counts AS a USING (profile_id, quarter)
