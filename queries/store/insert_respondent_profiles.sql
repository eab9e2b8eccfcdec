-- Adds one row per respondent listed in `affected_respondents` (an import's) who still
-- has a source: the earliest submission time of all imports, and each attribute from the
-- earliest import that knows it. Parameters: $consultation.
INSERT INTO respondents
SELECT
    consultation_id,
    respondent_id,
    min(import_id) AS import_id,
    min(submitted_at) AS submitted_at,
    place.country_raw,
    place.country_iso3,
    place.region,
    place.subregion,
    speech.language_raw,
    speech.language,
    coalesce(
        first(stakeholder_type ORDER BY import_id) FILTER (WHERE stakeholder_type <> 'Unknown'),
        'Unknown'
    ) AS stakeholder_type
FROM (
    SELECT
        *,
        first(
            {
                'country_raw': country_raw,
                'country_iso3': country_iso3,
                'region': region,
                'subregion': subregion
            }
            ORDER BY country_iso3 IS NULL, country_raw IS NULL, import_id
        ) OVER (PARTITION BY consultation_id, respondent_id) AS place,
        first(
            {'language_raw': language_raw, 'language': language}
            ORDER BY language = 'und', language_raw IS NULL, import_id
        ) OVER (PARTITION BY consultation_id, respondent_id) AS speech
    FROM respondent_sources
    WHERE consultation_id = $consultation
        AND respondent_id IN (SELECT respondent_id FROM affected_respondents)
)
GROUP BY consultation_id, respondent_id, place, speech
