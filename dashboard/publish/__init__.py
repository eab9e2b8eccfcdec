"""Every published figure: the chart catalogue, pure chart functions (DataFrame in, Figure out),
static images, table files and the report pack.

May import every room below it: `reference`, `definition`, `store`, `protection`, `coding`.
"""
