"""Reads an uploaded ledger: XLSX with python-calamine, or CSV in UTF-8 (BOM or not) or GB18030, as text: row by row
(the error report) or column by column (the checks)."""

import codecs
import csv
import gc
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from dixian_shared import sheet_extent
from employment_api.sheets.columns import COLUMNS
from employment_api.sheets.errors import UnreadableSheet

ZIP_MAGIC = b"PK\x03\x04"
MAX_CELLS = 5_000_000  # the grid a sheet may be laid out as: 100,000 ledger rows take 2.6 million at most
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Sheet:
    file_format: str  # xlsx / csv
    encoding: str | None
    header: list[str]
    rows: list[list[str]]  # data rows, the sheet's row n+2 at index n


@dataclass
class Columns:
    """The data rows column by column (the checks' shape): one list of text per template column."""

    file_format: str
    encoding: str | None
    header: list[str]
    columns: list[list[str]]  # columns[c][n]: column c of the sheet's row n+2
    filled: list[bool]  # whether row n+2 has any text in the template's columns (the rows checked)
    rows_read: int  # rows with any text, right of the template's columns too


@contextmanager
def collector_paused() -> Iterator[None]:
    """A large sheet is a million strings and lists, none of them in a cycle; the cyclic collector would walk them
    over and over while they are made (0.1-0.3 s of CPU for a 100,000-row sheet, measured), so it waits."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def detect_encoding(data: bytes) -> str:
    """UTF-8 with a BOM, else UTF-8 if it decodes strictly, else GB18030 (what Chinese Excel saves as CSV)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps every number as a float: an ID or a count typed as a number comes back as 123.0
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')


def estimate_rows(data: bytes) -> int | None:
    """Data rows without reading the sheet: CSV lines, or the first worksheet's declared dimension (None if absent).

    Lets the API hand a large file to the worker at once instead of reading it twice. A ZIP with no worksheet is no
    workbook: 0, so the API reads it at once and refuses it (422) instead of queueing it (202)."""
    if not data.startswith(ZIP_MAGIC):
        return max(data.count(b"\n") - 1, 0)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not names:
                return 0
            with archive.open(names[0]) as sheet:
                head = sheet.read(4096)
    except (zipfile.BadZipFile, KeyError, OSError):
        return 0
    found = DIMENSION.search(head)
    return int(found.group(1)) - 1 if found else None


def _table(data: bytes) -> tuple[str, str | None, list[list[Any]]]:
    """(format, encoding, the first sheet's rows as stored: XLSX values from A1, CSV cells unstripped)."""
    if data.startswith(OLE_MAGIC):
        raise UnreadableSheet(reason="old binary .xls files are not read: save as .xlsx or CSV")
    if data.startswith(ZIP_MAGIC):
        try:
            sheet_extent.check(data, max_cells=MAX_CELLS)
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return "xlsx", None, workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except sheet_extent.WorkbookRefused as exc:
            raise UnreadableSheet(reason=exc.reason) from None
        except (CalamineError, ValueError, IndexError) as exc:
            raise UnreadableSheet(reason=f"not a readable XLSX workbook ({exc.__class__.__name__})") from None
    encoding = detect_encoding(data)
    try:
        return "csv", encoding, list(csv.reader(io.StringIO(data.decode(encoding))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableSheet(reason=f"not valid {encoding} CSV ({exc})") from None


def _texts(cells: list[Any]) -> list[str]:
    try:
        return list(map(str.strip, cells))  # most columns hold only text
    except TypeError:
        return [cell.strip() if cell.__class__ is str else _text(cell) for cell in cells]


def read(data: bytes) -> Sheet:
    """Every cell of every row as text (what the error report writes back)."""
    file_format, encoding, cells = _table(data)
    table = [[cell.strip() if cell.__class__ is str else _text(cell) for cell in row] for row in cells]
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise UnreadableSheet(reason="the file is empty")
    return Sheet(file_format=file_format, encoding=encoding, header=table[0], rows=table[1:])


def read_columns(data: bytes) -> Columns:
    """The template's columns as text, column by column, without converting the cells nobody reads."""
    file_format, encoding, cells = _table(data)
    while cells and not any(_texts(cells[-1])):  # a workbook's formatted but empty rows, a CSV's last line break
        cells.pop()
    body = cells[1:]
    width = len(COLUMNS)
    if any(len(row) < width for row in body):
        body = [row + [""] * (width - len(row)) if len(row) < width else row for row in body]
    columns = [_texts([row[n] for row in body]) for n in range(width)]  # those right of them are not converted
    filled = list(map(any, zip(*columns, strict=True)))
    # A cell right of the template's columns makes a row one that was read, though none of its cells is checked.
    beyond = sum(1 for n, row in enumerate(body) if len(row) > width and not filled[n] and any(_texts(row[width:])))
    header = _texts(cells[0]) if cells else []
    if not any(filled) and not beyond and not any(header):
        raise UnreadableSheet(reason="the file is empty")
    return Columns(file_format, encoding, header, columns, filled, sum(filled) + beyond)
