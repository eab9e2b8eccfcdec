-- One row per consultation whose facts do not match its respondents and responses (a store
-- made before the facts tables existed, say, or before record keys, answer languages or
-- answer numbers): their ids, to rebuild. The counts of a consultation with an import not yet
-- counted differ by design (store/uncounted_imports.sql): counting it makes them agree.
-- Parameters: none.
WITH respondent_counts AS (
    SELECT consultation_id, count(*) AS n FROM respondents GROUP BY consultation_id
),
respondent_fact_counts AS (
    SELECT consultation_id, count(*) AS n FROM respondent_facts GROUP BY consultation_id
),
response_counts AS (
    SELECT consultation_id, count(*) AS n FROM responses GROUP BY consultation_id
),
response_fact_counts AS (
    SELECT consultation_id, count(*) AS n FROM response_facts GROUP BY consultation_id
)
SELECT c.consultation_id
FROM consultations AS c
LEFT JOIN respondent_counts AS r USING (consultation_id)
LEFT JOIN respondent_fact_counts AS rf USING (consultation_id)
LEFT JOIN response_counts AS a USING (consultation_id)
LEFT JOIN response_fact_counts AS af USING (consultation_id)
WHERE (
        (coalesce(r.n, 0) <> coalesce(rf.n, 0) OR coalesce(a.n, 0) <> coalesce(af.n, 0))
        AND c.consultation_id NOT IN (SELECT consultation_id FROM uncounted_imports)
    )
    OR c.consultation_id IN (
        SELECT consultation_id FROM respondent_facts WHERE record_key IS NULL
        UNION ALL
        SELECT consultation_id FROM response_facts WHERE record_key IS NULL
        UNION ALL
        SELECT consultation_id FROM response_facts WHERE answer_language IS NULL
        UNION ALL
        SELECT consultation_id FROM response_facts WHERE response_key IS NULL
    )
