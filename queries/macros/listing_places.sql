-- One row per country of a consultation's respondents (ISO3, or 'Unknown') and per
-- stakeholder type (`field` 'country' or 'stakeholder_type'), saying how an answer
-- listing may name it. The listing's cards and membership depend on these, never on the
-- filters, so that no two listings differ by anything a card does not show:
-- * `shown`: at least k respondents of the whole consultation share the value. A card names a
--   shown country on every listing, whatever the filters; a country or stakeholder filter lists
--   only answers of shown values (a listing of "every country but Comoros" set against the
--   unfiltered one would otherwise pick out Comoros' answers).
-- * `pool` (countries only): for a country not shown, its region when the region's countries
--   not shown are at least two and hold at least k respondents together (the card says
--   "<region> (country not shown)", and a region filter lists it); else NULL (the card says
--   only "country not shown", and a region filter leaves it out), so that no card or
--   difference of listings names a single small country, even by elimination.
-- * `safe_pool` (stakeholder types only): whether the types not shown, taken together, are none,
--   or at least two holding k respondents: the answers a stakeholder filter leaves out, set
--   against the unfiltered listing, would otherwise name one small type.
-- Parameters: consultation, k.
CREATE OR REPLACE MACRO listing_places(consultation, k) AS TABLE
WITH sizes AS (
    SELECT
        'country' AS field,
        country AS value,
        any_value(region) AS region,
        count(*) AS respondents
    FROM respondent_facts
    WHERE consultation_id = consultation
    GROUP BY country
    UNION ALL
    SELECT 'stakeholder_type', stakeholder_type, NULL, count(*)
    FROM respondent_facts
    WHERE consultation_id = consultation
    GROUP BY stakeholder_type
),
small AS (
    SELECT field, region, count(*) AS values, sum(respondents) AS respondents
    FROM sizes
    WHERE respondents < k
    GROUP BY field, region
)
SELECT
    s.field,
    s.value,
    s.respondents >= k AS shown,
    CASE
        WHEN s.field = 'country' AND s.respondents < k AND p.values >= 2 AND p.respondents >= k
            THEN s.region
    END AS pool,
    s.field = 'country' OR p.values IS NULL OR (p.values >= 2 AND p.respondents >= k)
        AS safe_pool
FROM sizes AS s
LEFT JOIN small AS p ON p.field = s.field AND p.region IS NOT DISTINCT FROM s.region
