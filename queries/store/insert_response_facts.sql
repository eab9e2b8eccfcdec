-- Adds one row per response of the consultation from a respondent in the temporary table
-- facts_scope (all of them, or those an import touched) with its respondent's key and
-- attributes (from respondent_facts, which must be built first), its theme, the period of its
-- own time against the window, its codes (from the temporary table fact_codes, made first by
-- queries/store/create_fact_codes.sql), its respondent's record key (perturbation), the
-- language detected in the answer ('und' where none was) and the answer's number (what a
-- listing fetches its texts by). By name: in a store whose columns were added at different
-- times they may stand in another order. Parameters: $consultation.
-- Written in the order of theme, region, language and time: the pages filter on these, and
-- DuckDB skips the blocks of rows whose range of a filtered column holds none of the values
-- asked for (the typical filter of the benchmark, a theme, a region, a language and a span of
-- days, reads about half as much as in the order the answers came).
INSERT INTO response_facts BY NAME
WITH scoped AS (
    SELECT
        consultation_id, respondent_id, question_id, import_id, source_row, submitted_at,
        answer_language, response_key
    FROM responses
    WHERE consultation_id = $consultation
        AND respondent_id IN (SELECT respondent_id FROM facts_scope)
)
SELECT
    a.consultation_id,
    r.respondent_key,
    a.question_id,
    coalesce(nullif(q.theme_id, ''), 'Unknown') AS theme_id,
    a.import_id,
    a.source_row,
    a.submitted_at,
    CASE
        WHEN a.submitted_at IS NULL THEN 'unknown'
        WHEN a.submitted_at < c.opens THEN 'before'
        WHEN a.submitted_at > c.closes THEN 'after'
        ELSE 'during'
    END AS period,
    r.submitted_at AS respondent_submitted_at,
    r.country_iso3,
    r.region,
    r.subregion,
    r.language,
    r.stakeholder_type,
    r.country,
    coalesce(t.codes, []) AS codes,
    r.record_key,
    coalesce(a.answer_language, 'und') AS answer_language,
    a.response_key
FROM scoped AS a
JOIN respondent_facts AS r USING (consultation_id, respondent_id)
JOIN consultations AS c USING (consultation_id)
LEFT JOIN questions AS q USING (consultation_id, question_id)
LEFT JOIN fact_codes AS t USING (import_id, source_row, question_id)
ORDER BY theme_id, r.region, r.language, a.submitted_at
