-- One row per distinct answer text to tag numbered from $first_id to $last_id (the temporary
-- table `tagging_texts`, made by queries/store/create_tagging_texts.sql): its number, the text
-- as written, and how many answers read so. Parameters: $first_id, $last_id.
SELECT text_id, answer, answers
FROM tagging_texts
WHERE text_id BETWEEN $first_id AND $last_id
ORDER BY text_id
