"""Protecting respondents: small-count suppression, redaction of personal data in answers, and
the function every published table goes through.

Imports nothing from the rest of `dashboard`, so any room that publishes can use it.
"""
