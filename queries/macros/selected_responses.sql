-- One row per response (a respondent's answer to one question) of a selected respondent that passes the answer
-- filters: its facts (respondent_key and attributes, question, theme ('Unknown' for a question
-- no theme lists), where it is (import_id, source_row), its time, the period of that time
-- against the window, and its codes). The answer's text is in `responses`.
-- Parameters: those of selected_respondents, plus themes (theme ids or 'Unknown'), questions
-- (question ids) and codes (code ids of the codebook, or '(none)' for answers no code tags):
-- an answer passes with at least one of them. date_from and date_to apply to the response's
-- time and to its respondent's. answer_languages (named, NULL by default): the languages
-- detected in the answers (ISO 639-1, or 'und' for an answer whose language was not detected).
CREATE OR REPLACE MACRO selected_responses(
    consultation, regions, countries, languages, stakeholder_types, themes, questions,
    codes, date_from, date_to, tz, answer_languages := NULL
) AS TABLE
SELECT f.*
FROM response_facts AS f
WHERE f.consultation_id = consultation
    AND (regions IS NULL OR list_contains(regions, f.region))
    AND (countries IS NULL OR list_contains(countries, f.country))
    AND (languages IS NULL OR list_contains(languages, f.language))
    AND (stakeholder_types IS NULL OR list_contains(stakeholder_types, f.stakeholder_type))
    AND (themes IS NULL OR list_contains(themes, f.theme_id))
    AND (questions IS NULL OR list_contains(questions, f.question_id))
    AND (answer_languages IS NULL OR list_contains(answer_languages, f.answer_language))
    AND (
        codes IS NULL
        OR list_has_any(codes, f.codes)
        OR (list_contains(codes, '(none)') AND len(f.codes) = 0)
    )
    AND (date_from IS NULL OR f.submitted_at >= timezone(tz, date_from::TIMESTAMP))
    AND (date_to IS NULL OR f.submitted_at < timezone(tz, (date_to + 1)::TIMESTAMP))
    AND (date_from IS NULL OR f.respondent_submitted_at >= timezone(tz, date_from::TIMESTAMP))
    AND (date_to IS NULL OR f.respondent_submitted_at < timezone(tz, (date_to + 1)::TIMESTAMP))
