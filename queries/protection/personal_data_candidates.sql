-- One row per answer of the registered frame `screened_answers` (position, answer) that may
-- hold personal data: every answer a gate of the redactor (dashboard/protection/redact.py) would
-- open, and perhaps a few more, never fewer. DuckDB reads all of them on every core; Python
-- redacts only these. Parameters: $screen (an RE2 pattern), and $weak_at with $dot_like, which
-- must both match ("j.smith at ngo.org").
SELECT position
FROM screened_answers
WHERE regexp_matches(answer, $screen)
    OR (regexp_matches(answer, $weak_at) AND regexp_matches(answer, $dot_like))
