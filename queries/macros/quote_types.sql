-- One row per place as an answer card shows it (`place`: 'country:<ISO3 or Unknown>' for a
-- country the card names, 'pool:<region>' for a region naming a pool of small countries,
-- 'unnamed' for "country not shown"; macros/listing_places.sql), language and stakeholder type
-- of a consultation's respondents, saying whether a quote (the report's "What respondents
-- said") may name the stakeholder type beside the place and language its card shows: `shown`
-- when at least k respondents of the consultation share the type, and at least k share that
-- place, language and type together. A card shows place and language; a quote adds the type,
-- which must not single out a respondent among those its card already narrows to.
-- Parameters: consultation, k.
CREATE OR REPLACE MACRO quote_types(consultation, k) AS TABLE
WITH places AS (
    SELECT * FROM listing_places(consultation, k)
),
cards AS (
    SELECT
        CASE
            WHEN c.shown THEN 'country:' || r.country
            WHEN c.pool IS NOT NULL THEN 'pool:' || c.pool
            ELSE 'unnamed'
        END AS place,
        r.language,
        r.stakeholder_type,
        t.shown AS type_shown
    FROM respondent_facts AS r
    JOIN places AS c ON c.field = 'country' AND c.value = r.country
    JOIN places AS t ON t.field = 'stakeholder_type' AND t.value = r.stakeholder_type
    WHERE r.consultation_id = consultation
),
sizes AS (
    SELECT
        place,
        language,
        stakeholder_type,
        bool_and(type_shown) AS type_shown,
        count(*) AS respondents
    FROM cards
    GROUP BY place, language, stakeholder_type
)
SELECT place, language, stakeholder_type, type_shown AND respondents >= k AS shown
FROM sizes
