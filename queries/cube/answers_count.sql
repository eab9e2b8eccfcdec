-- One row: how many responses an answer listing may show under the filters
-- (macros/listed_responses.sql), and from how many respondents.
-- The cube's twin of queries/answers_count.sql, for respondent filters only (no theme,
-- question, code, date, answer language or search filter): the same row, columns and figures,
-- from the cube (schema.sql). Whether a listing shows a response depends only on its
-- respondent's country and stakeholder type (macros/listing_places.sql), which a profile fixes:
-- a profile's responses are all listed or none are, and its respondents counted are those with
-- at least one response (`answering`).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $k.
WITH listed AS (
    SELECT *
    FROM listed_profiles($consultation, $regions, $countries, $languages, $stakeholder_types, $k)
    WHERE answering > 0
)
SELECT
    coalesce(sum(responses), 0)::BIGINT AS responses,
    coalesce(sum(answering), 0)::BIGINT AS respondents,
    (coalesce(sum(answering_key_sum), 0)::HUGEINT % 4294967296)::BIGINT AS respondent_key_sum,
    (coalesce(sum(response_key_sum), 0)::HUGEINT % 4294967296)::BIGINT AS response_key_sum
FROM listed
