"""Turning platform exports into canonical rows: read, map, normalise, load.

May import `reference`, `definition`, `store`, `protection` (redaction) and `coding` (tagging).
"""

from dashboard.importer.mapping import Mapping, MappingError, load_mapping, parse_mapping
from dashboard.importer.parted import import_file
from dashboard.importer.pipeline import (
    ImportReport,
    PreparedImport,
    count_import,
    load,
    prepare,
    uncounted_imports,
    undo_import,
)
from dashboard.importer.reading import FileRefused

__all__ = [
    "FileRefused",
    "ImportReport",
    "Mapping",
    "MappingError",
    "PreparedImport",
    "count_import",
    "import_file",
    "load",
    "load_mapping",
    "parse_mapping",
    "prepare",
    "uncounted_imports",
    "undo_import",
]
