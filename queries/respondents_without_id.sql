-- One row: how many of the counted respondents had no id in their export, so that the importer
-- numbered them by file and row ('row' || row || '@' || the first 8 hex digits of the file's
-- sha256). An id counts as made up only when its hash part is that of an import that named the
-- respondent, so a real id that happens to look alike is not taken for one; stores written
-- before this query existed are read the same way.
-- Parameters: $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
-- $questions, $codes, $date_from, $date_to, $tz (see macros/selected_responses.sql).
-- $answer_languages: languages detected in the answers, or NULL (selected_responses).
SELECT count(*) AS respondents
FROM counted_respondents(
    $consultation, $regions, $countries, $languages, $stakeholder_types, $themes,
    $questions, $codes, $date_from, $date_to, $tz, answer_languages := $answer_languages
) AS c
WHERE regexp_full_match(c.respondent_id, 'row[0-9]+@[0-9a-f]{8}')
    AND EXISTS (
        SELECT 1
        FROM respondent_sources AS s
        JOIN imports AS i ON i.import_id = s.import_id
        WHERE s.consultation_id = $consultation
            AND s.respondent_id = c.respondent_id
            AND split_part(c.respondent_id, '@', 2) = left(i.content_hash, 8)
    )
