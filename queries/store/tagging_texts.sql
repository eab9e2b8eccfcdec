-- One row per distinct answer text to tag (the temporary table `tagging_texts`, made by
-- queries/store/create_tagging_texts.sql): its number, the text as written, and how many answers
-- read so. Parameters: none.
SELECT text_id, answer, answers
FROM tagging_texts
