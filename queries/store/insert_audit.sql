-- Adds one row per audited action. Parameters: $happened_at, $who, $action, $consultation, $details
-- (JSON text).
INSERT INTO audit_log VALUES ($happened_at, $who, $action, $consultation, $details)
