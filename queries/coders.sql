-- One row per analyst who judged answers of the consultation: their name and how many
-- verdicts they gave, most first. Parameters: $consultation.
SELECT coder, count(*) AS codings
FROM tag_codings
WHERE consultation_id = $consultation
GROUP BY coder
ORDER BY codings DESC, coder
