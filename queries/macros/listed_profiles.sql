-- One row per cube profile of a consultation (macros/selected_profiles.sql) whose answers an
-- answer listing may show under the respondent filters (macros/listed_responses.sql): whether a
-- listing shows a response depends only on its respondent's country and stakeholder type
-- (macros/listing_places.sql), which a profile fixes, so a profile's answers are all listed or
-- none are. Parameters: consultation, regions, countries, languages, stakeholder_types (NULL
-- means "no filter", see selected_respondents.sql), k.
CREATE OR REPLACE MACRO listed_profiles(
    consultation, regions, countries, languages, stakeholder_types, k
) AS TABLE
WITH places AS (
    SELECT * FROM listing_places(consultation, k)
)
SELECT p.*
FROM selected_profiles(consultation, regions, countries, languages, stakeholder_types) AS p
JOIN places AS c ON c.field = 'country' AND c.value = p.country
JOIN places AS t ON t.field = 'stakeholder_type' AND t.value = p.stakeholder_type
WHERE c.listed
    AND (countries IS NULL OR c.shown)
    AND (regions IS NULL OR c.shown OR c.pool IS NOT NULL)
    AND (stakeholder_types IS NULL OR (t.shown AND t.safe_pool))
