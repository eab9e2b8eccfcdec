"""The DuckDB store: its schema and connections, the query layer that runs `queries/*.sql`, and
the summary every page, export and CLI figure agrees with.

May import `dashboard.reference` and `dashboard.definition`.
"""
