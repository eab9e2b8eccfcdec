"""Protecting respondents: small-count suppression, redaction of personal data in answers, and
the function every published table goes through.

May import `dashboard.store` (its queries, run on the store or on a scratch DuckDB) and the rooms
below it, so any room that publishes can use it.
"""
