-- Sets the temporary table facts_scope to one row per respondent listed in `affected_respondents`
-- (store/create_affected_respondents.sql: an import's respondents): those whose facts
-- database.refresh_facts rebuilds after an import or an undo. One with facts keeps their key
-- (one an undo left without a profile too, so that their facts are removed and none are made
-- again); one new to the consultation is numbered after its largest key, in the order of ids.
-- Parameters: $consultation.
CREATE OR REPLACE TEMP TABLE facts_scope AS
WITH affected AS (
    SELECT DISTINCT a.respondent_id, f.respondent_key
    FROM affected_respondents AS a
    LEFT JOIN respondent_facts AS f
        ON f.consultation_id = $consultation AND f.respondent_id = a.respondent_id
),
largest AS (
    SELECT coalesce(max(respondent_key), 0) AS respondent_key
    FROM respondent_facts
    WHERE consultation_id = $consultation
)
SELECT
    a.respondent_id,
    coalesce(
        a.respondent_key,
        l.respondent_key
        + row_number() OVER (PARTITION BY a.respondent_key IS NULL ORDER BY a.respondent_id)
    )::INTEGER AS respondent_key
FROM affected AS a
CROSS JOIN largest AS l
