-- One row per respondent counted under the filters: every selected respondent (also one who
-- left every answer blank), or, when a theme, question or code filter is set, those with at
-- least one response among the selected responses.
-- Parameters: those of selected_responses.
CREATE OR REPLACE MACRO counted_respondents(
    consultation, regions, countries, languages, stakeholder_types, themes, questions,
    codes, date_from, date_to, tz
) AS TABLE
SELECT s.*
FROM selected_respondents(
    consultation, regions, countries, languages, stakeholder_types, date_from, date_to, tz
) AS s
WHERE (themes IS NULL AND questions IS NULL AND codes IS NULL)
    OR s.respondent_key IN (
        SELECT respondent_key
        FROM selected_responses(
            consultation, regions, countries, languages, stakeholder_types, themes, questions,
            codes, date_from, date_to, tz
        )
        -- Repeated here so that, with no theme, question or code filter, the planner drops the
        -- subquery instead of scanning every response.
        WHERE themes IS NOT NULL OR questions IS NOT NULL OR codes IS NOT NULL
    )
