-- One row: how many reference countries the store holds. Parameters: none.
SELECT count(*) AS countries FROM countries
