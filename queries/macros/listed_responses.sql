-- One row per response that an answer listing (the Responses page, the answers file of the
-- report pack) may show under the filters: those of selected_responses, less the answers a
-- country, region or stakeholder filter must leave out so that no two listings differ by
-- anything their cards do not show (see listing_places.sql). Its columns are those of
-- selected_responses, plus `country_shown` (the card may name the country) and `place_pool`
-- (the region a card names for a country it does not, or NULL). The dates apply to the
-- answer's own time only, which its card shows (as a day): on its respondent's time too, a
-- date filter would drop a respondent's later answers with their first, which would tell
-- which answers share a respondent.
-- Parameters: those of selected_responses, plus k.
CREATE OR REPLACE MACRO listed_responses(
    consultation, regions, countries, languages, stakeholder_types, themes, questions,
    codes, date_from, date_to, tz, k, answer_languages := NULL
) AS TABLE
WITH places AS (
    SELECT * FROM listing_places(consultation, k)
)
SELECT s.*, c.shown AS country_shown, c.pool AS place_pool
FROM selected_responses(
    consultation, regions, countries, languages, stakeholder_types, themes, questions,
    codes, NULL, NULL, tz, answer_languages := answer_languages
) AS s
JOIN places AS c ON c.field = 'country' AND c.value = s.country
JOIN places AS t ON t.field = 'stakeholder_type' AND t.value = s.stakeholder_type
WHERE (date_from IS NULL OR s.submitted_at >= timezone(tz, date_from::TIMESTAMP))
    AND (date_to IS NULL OR s.submitted_at < timezone(tz, (date_to + 1)::TIMESTAMP))
    AND c.listed
    AND (countries IS NULL OR c.shown)
    AND (regions IS NULL OR c.shown OR c.pool IS NOT NULL)
    AND (stakeholder_types IS NULL OR (t.shown AND t.safe_pool))
