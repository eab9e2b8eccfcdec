"""Coding answers by theme: the codebook, keyword matching in six languages, and tagging.

May import `dashboard.reference`, `dashboard.definition`, `dashboard.store` and
`dashboard.protection`.
"""
