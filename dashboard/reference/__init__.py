"""Reference data: countries, M49 regions, UN regional groups, languages and map geometry.

Imports nothing from the rest of `dashboard`: every other room may read it.
"""
