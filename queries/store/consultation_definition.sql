-- One row per consultation with this id (zero or one): its definition as TOML.
-- Parameters: $consultation.
SELECT definition_toml FROM consultations WHERE consultation_id = $consultation
