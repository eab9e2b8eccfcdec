"""The consultation definition (window, languages, themes, questions) and the form that edits it.

May import `dashboard.reference` only.
"""
