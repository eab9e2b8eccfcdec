-- One row per day (local date in the consultation's zone, which $tz must be: the picker in
-- dashboard/store/queries.py sees to it) and code with at least one tagged response: the responses
-- carrying the code that arrived that day, and their respondents (those with at least one such
-- response that day), with the sums mod 2^32 of their record keys.
-- The cube's twin of queries/code_timeline.sql, for respondent filters only (no theme, question,
-- code, date or search filter): the same rows, columns and figures, from the cube (schema.sql).
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types.
SELECT
    c.bin_start,
    c.code_id AS series,
    sum(c.respondents)::BIGINT AS respondents,
    sum(c.responses)::BIGINT AS responses,
    (sum(c.respondent_key_sum) % 4294967296)::BIGINT AS respondent_key_sum,
    (sum(c.response_key_sum) % 4294967296)::BIGINT AS response_key_sum
    FROM cube_code_days AS c
    SEMI JOIN selected_profiles(
        $consultation, $regions, $countries, $languages, $stakeholder_types
    ) AS p ON p.profile_id = c.profile_id
    WHERE c.consultation_id = $consultation
GROUP BY c.bin_start, c.code_id
ORDER BY bin_start, series
