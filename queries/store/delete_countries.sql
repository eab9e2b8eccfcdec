-- Empties the reference table of countries before it is reloaded. Parameters: none.
DELETE FROM countries
