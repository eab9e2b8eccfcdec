-- Adds one row per consultation definition.
-- Parameters: $consultation, $title, $opens, $closes, $timezone, $languages, $suppression_k,
-- $definition_toml, $added_at.
INSERT INTO consultations VALUES (
    $consultation, $title, $opens, $closes, $timezone, $languages, $suppression_k,
    $definition_toml, $added_at
)
