"""Reading a 20,100-row household workbook (the national export's columns): openpyxl read-only, as the import did,
against python-calamine, as it does now.

    .venv/bin/python -m bench.imports.read
"""

import io
import sys
import time
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "monitoring-api"))
from tests.test_import_files import family, xlsx_bytes  # the tests' own builder of import files


def main() -> None:
    rows = [row for n in range(6700) for row in family(f"B-{n}", "360702191200", 3)]
    data = xlsx_bytes(rows)
    print(f"{len(rows):,} member rows, {len(data) / 2**20:.1f} MiB")
    started = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    print(f"openpyxl read-only: {count:,} rows in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    count = sum(1 for _ in sheet.iter_rows())
    print(f"python-calamine:    {count:,} rows in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
