-- One row per respondent counted under the filters: every selected respondent (also one who
-- left every answer blank), or, when a theme, question, code or answer language filter is set,
-- those with at least one response among the selected responses.
-- Parameters: those of selected_responses.
CREATE OR REPLACE MACRO counted_respondents(
    consultation, regions, countries, languages, stakeholder_types, themes, questions,
    codes, date_from, date_to, tz, answer_languages := NULL
) AS TABLE
SELECT s.*
FROM selected_respondents(
    consultation, regions, countries, languages, stakeholder_types, date_from, date_to, tz
) AS s
WHERE (themes IS NULL AND questions IS NULL AND codes IS NULL AND answer_languages IS NULL)
    OR s.respondent_key IN (
        SELECT respondent_key
        FROM selected_responses(
            consultation, regions, countries, languages, stakeholder_types, themes, questions,
            codes, date_from, date_to, tz, answer_languages := answer_languages
        )
        -- Repeated here so that, with no answer filter, the planner drops the subquery
        -- instead of scanning every response.
        WHERE themes IS NOT NULL OR questions IS NOT NULL OR codes IS NOT NULL
            OR answer_languages IS NOT NULL
    )
