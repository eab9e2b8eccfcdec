"""Coding answers by theme: the codebook, keyword matching in six languages, and tagging; and
finding topics without a codebook (words per language, TF-IDF and NMF).

May import `dashboard.reference`, `dashboard.definition`, `dashboard.store` and
`dashboard.protection`.
"""
