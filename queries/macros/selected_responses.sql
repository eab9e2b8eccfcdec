-- One row per response (non-blank answer) of a selected respondent that passes the answer
-- filters, with its theme ('Unknown' for a question no theme lists), the respondent's
-- attributes, and the period of the response's own submission time against the window.
-- Parameters: those of selected_respondents, plus themes (theme ids or 'Unknown') and
-- questions (question ids); codes (code ids of the codebook, or '(none)' for answers no code
-- tags): an answer passes with at least one of them. date_from and date_to apply to the
-- response's time too.
CREATE OR REPLACE MACRO selected_responses(
    consultation, regions, countries, languages, stakeholder_types, themes, questions,
    codes, date_from, date_to, tz
) AS TABLE
SELECT
    a.respondent_id,
    a.question_id,
    a.answer,
    a.answer_redacted,
    a.submitted_at,
    a.import_id,
    a.source_row,
    coalesce(nullif(q.theme_id, ''), 'Unknown') AS theme_id,
    s.region,
    s.subregion,
    s.country_iso3,
    s.language,
    s.stakeholder_type,
    CASE
        WHEN a.submitted_at IS NULL THEN 'unknown'
        WHEN a.submitted_at < c.opens THEN 'before'
        WHEN a.submitted_at > c.closes THEN 'after'
        ELSE 'during'
    END AS period
FROM responses AS a
JOIN selected_respondents(
    consultation, regions, countries, languages, stakeholder_types, date_from, date_to, tz
) AS s USING (consultation_id, respondent_id)
JOIN consultations AS c USING (consultation_id)
LEFT JOIN questions AS q USING (consultation_id, question_id)
WHERE (themes IS NULL OR list_contains(themes, coalesce(nullif(q.theme_id, ''), 'Unknown')))
    AND (questions IS NULL OR list_contains(questions, a.question_id))
    AND (
        codes IS NULL
        OR EXISTS (
            SELECT 1
            FROM response_codes AS t
            WHERE t.consultation_id = a.consultation_id
                AND t.import_id = a.import_id
                AND t.source_row = a.source_row
                AND t.question_id = a.question_id
                AND list_contains(codes, t.code_id)
        )
        OR (
            list_contains(codes, '(none)')
            AND NOT EXISTS (
                SELECT 1
                FROM response_codes AS t
                WHERE t.consultation_id = a.consultation_id
                    AND t.import_id = a.import_id
                    AND t.source_row = a.source_row
                    AND t.question_id = a.question_id
            )
        )
    )
    AND (date_from IS NULL OR timezone(tz, a.submitted_at)::DATE >= date_from)
    AND (date_to IS NULL OR timezone(tz, a.submitted_at)::DATE <= date_to)
