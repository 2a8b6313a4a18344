"""Reads an uploaded ledger: XLSX with python-calamine, or CSV in UTF-8 (BOM or not) or GB18030, as rows of text."""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from python_calamine import CalamineError, CalamineWorkbook

from employment_api.sheets.errors import UnreadableSheet

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Sheet:
    file_format: str  # xlsx / csv
    encoding: str | None
    header: list[str]
    rows: list[list[str]]  # data rows, the sheet's row n+2 at index n


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

    Lets the API hand a large file to the worker at once instead of reading it twice."""
    if not data.startswith(ZIP_MAGIC):
        return max(data.count(b"\n") - 1, 0)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not names:
                return None
            with archive.open(names[0]) as sheet:
                head = sheet.read(4096)
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    found = DIMENSION.search(head)
    return int(found.group(1)) - 1 if found else None


def read(data: bytes) -> Sheet:
    if data.startswith(OLE_MAGIC):
        raise UnreadableSheet(reason="old binary .xls files are not read: save as .xlsx or CSV")
    if data.startswith(ZIP_MAGIC):
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            cells = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, IndexError) as exc:
            raise UnreadableSheet(reason=f"not a readable XLSX workbook ({exc.__class__.__name__})") from None
        # Most cells are text: strip those inline and leave the call for numbers and dates.
        table = [[cell.strip() if cell.__class__ is str else _text(cell) for cell in row] for row in cells]
        file_format, encoding = "xlsx", None
    else:
        encoding = detect_encoding(data)
        try:
            table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(data.decode(encoding)))]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableSheet(reason=f"not valid {encoding} CSV ({exc})") from None
        file_format = "csv"
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise UnreadableSheet(reason="the file is empty")
    return Sheet(file_format=file_format, encoding=encoding, header=table[0], rows=table[1:])
