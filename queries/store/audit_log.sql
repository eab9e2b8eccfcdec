-- One row per audited action, newest first, at most $limit rows: when, who, what, which
-- consultation, and its details (JSON). Parameters: $limit.
SELECT happened_at, who, action, consultation_id, details
FROM audit_log
ORDER BY happened_at DESC
LIMIT $limit
