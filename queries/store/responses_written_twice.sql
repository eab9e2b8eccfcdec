-- One row: whether the store's responses table holds every answer's text twice, as written
-- and redacted (a store made before the text as written was kept only where redaction changed
-- it; NULL for a new store, which has no responses table yet). Parameters: none.
SELECT bool_or(column_name = 'answer') AND NOT bool_or(column_name = 'answer_written')
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'responses'
