"""How big an export may be before the importer refuses it, so no file can take the server down.

Every limit is checked before the expensive step it protects (a workbook's sheet size is read
from its XML before the workbook is parsed), and a refusal names the limit and the environment
variable that raises it. The defaults are generous: about ten times the largest real export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from dashboard.reference import i18n
from dashboard.reference.i18n import _

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """The bounds one import runs under; `from_environment` reads the overrides."""

    max_file_mb: int = 512  # the file as uploaded or read from disk
    max_unzipped_mb: int = 1024  # all members of an XLSX/ODS together, decompressed
    max_zip_ratio: int = 200  # decompressed size / file size of a workbook (zip bombs)
    max_rows: int = 2_000_000
    max_columns: int = 5_000
    max_cells: int = 100_000_000  # rows x columns of a sheet's used range
    max_json_depth: int = 32
    max_cell_chars: int = 1_000_000  # one value (an answer), in characters
    max_files: int = 100_000  # files of one batch import (a folder, a list, a ZIP's members)
    max_batch_mb: int = 4096  # all files of one batch together, as read or unzipped

    @classmethod
    def from_environment(cls, environ: os._Environ[str] | dict[str, str] | None = None):
        environ = os.environ if environ is None else environ
        values = {}
        for item in fields(cls):
            raw = environ.get(env_name(item.name))
            if raw is None or not raw.strip():
                continue
            try:
                values[item.name] = int(raw.strip().replace("_", ""))
            except ValueError as exc:
                raise ValueError(f"{env_name(item.name)}={raw!r} is not a whole number") from exc
            if values[item.name] <= 0:
                raise ValueError(f"{env_name(item.name)}={raw!r} must be above zero")
        return cls(**values)

    def how_to_raise(self, name: str) -> str:
        return _("the limit is {limit}; set {variable} to raise it").format(
            limit=i18n.number(getattr(self, name)), variable=env_name(name)
        )


def env_name(limit: str) -> str:
    """The environment variable of a limit: max_file_mb -> DASHBOARD_MAX_FILE_MB."""
    return f"DASHBOARD_{limit.upper()}"
