"""The floor of an import: what reading the file alone costs, run in a fresh process.

`python -m benchmarks.floor csv STORE FILE.csv`: DuckDB's own `read_csv` of the file into a table
of a new database file (what any import of that CSV must at least do).
`python -m benchmarks.floor xlsx FILE.xlsx`: python-calamine (the reader the importer uses) reading
the first sheet into Python values, the floor for a workbook (DuckDB 2 has no built-in reader
for XLSX, and its `excel` extension is not installed here).
"""

from __future__ import annotations

import sys
import time


def read_csv_into_duckdb(database: str, path: str) -> int:
    import duckdb

    con = duckdb.connect(
        database,
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    con.execute("CREATE TABLE export AS SELECT * FROM read_csv($path)", {"path": path})
    rows = con.execute("SELECT count(*) FROM export").fetchone()[0]
    con.close()
    return rows


def read_xlsx_with_calamine(path: str) -> int:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    return len(sheet.to_python())


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    if len(argv) == 3 and argv[0] == "csv":
        rows = read_csv_into_duckdb(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "xlsx":
        rows = read_xlsx_with_calamine(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"{rows} rows in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
