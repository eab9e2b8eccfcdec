-- One row per country of a consultation's respondents (ISO3, or 'Unknown') and per
-- stakeholder type (`field` 'country' or 'stakeholder_type'), saying how an answer listing
-- (Responses, Tag review, the answers file) may name it. Cards and membership depend on these,
-- never on the filters, so that no two listings differ by anything a card does not show:
-- * `shown`: at least k respondents of the whole consultation share the value. A card names a
--   shown country on every listing, whatever the filters; a country or stakeholder filter lists
--   only answers of shown values (a listing of "every country but Comoros" set against the
--   unfiltered one would otherwise pick out Comoros's answers).
-- * `pool` (countries only): for a country not shown, its region when the region's countries
--   not shown make a safe pool (at least two countries, k respondents together): the card says
--   "<region> (country not shown)" and a region filter lists it. Otherwise NULL: the card says
--   only "country not shown" and a region filter leaves it out. Those countries make one pool
--   too, which must be safe as well, or the cards saying "country not shown" would name a single
--   country by elimination: if it is not, the smallest regional pool gives up its region to join
--   it; if no regional pool can, `listed` is false and no listing shows those answers at all.
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
small_counts AS (
    SELECT field, region, count(*) AS values, sum(respondents) AS respondents
    FROM sizes
    WHERE respondents < k
    GROUP BY field, region
),
small AS (
    SELECT *, values >= 2 AND respondents >= k AS safe FROM small_counts
),
-- The countries whose region cannot name their pool, together.
unnamed AS (
    SELECT coalesce(sum(values), 0) AS values, coalesce(sum(respondents), 0) AS respondents
    FROM small
    WHERE field = 'country' AND NOT safe
),
-- The regional pool that gives up its name when the unnamed countries alone are not safe.
given_up AS (
    SELECT s.region
    FROM small AS s, unnamed AS u
    WHERE s.field = 'country' AND s.safe
        AND u.values > 0 AND (u.values < 2 OR u.respondents < k)
    ORDER BY s.respondents, s.region
    LIMIT 1
),
unnamed_safe AS (
    SELECT
        u.values = 0
        OR (
            u.values + coalesce(g.values, 0) >= 2
            AND u.respondents + coalesce(g.respondents, 0) >= k
        ) AS safe
    FROM unnamed AS u
    LEFT JOIN (
        SELECT s.values, s.respondents FROM small AS s JOIN given_up USING (region)
        WHERE s.field = 'country'
    ) AS g ON true
)
SELECT
    s.field,
    s.value,
    s.respondents >= k AS shown,
    CASE
        WHEN s.field = 'country' AND s.respondents < k AND p.safe
            AND s.region NOT IN (SELECT region FROM given_up)
            THEN s.region
    END AS pool,
    s.field = 'stakeholder_type' OR s.respondents >= k OR (SELECT safe FROM unnamed_safe)
        OR (p.safe AND s.region NOT IN (SELECT region FROM given_up)) AS listed,
    s.field = 'country' OR p.values IS NULL OR p.safe AS safe_pool
FROM sizes AS s
LEFT JOIN small AS p ON p.field = s.field AND p.region IS NOT DISTINCT FROM s.region
