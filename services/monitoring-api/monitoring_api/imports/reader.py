"""Reads an uploaded CSV or XLSX file row by row, never whole: the header, then (row number, cells) lazily."""

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from python_calamine import CalamineWorkbook

from dixian_shared import sheet_extent
from monitoring_api.imports.errors import UnreadableFile

SNIFF_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls
MAX_CELLS = 20_000_000  # the grid a sheet may be laid out as: 500,000 rows of the national export's 40 columns


@dataclass
class Table:
    file_format: str
    encoding: str | None
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def detect_encoding(head: bytes) -> str:
    """UTF-8 with a BOM, else UTF-8 if the first chunk decodes strictly, else GB18030 (what Chinese Excel saves)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # final=False: a character cut in two at the end of the chunk is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


@contextmanager
def open_table(file: IO[bytes]) -> Iterator[Table]:
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if head.startswith(OLE_MAGIC):
        raise UnreadableFile(
            "old binary .xls files are not read: save the sheet as .xlsx or CSV",
            "不读取旧版 .xls 文件，请另存为 .xlsx 或 CSV",
        )
    if head.startswith(ZIP_MAGIC):
        with _xlsx(file) as table:
            yield table
    else:
        yield _csv(file, detect_encoding(head))


def _csv(file: IO[bytes], encoding: str) -> Table:
    text = io.TextIOWrapper(file, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text)
    rows = _guarded(enumerate(reader, start=1), f"the file is not valid {encoding} CSV")
    first = next(rows, None)
    if first is None:
        raise UnreadableFile("the file is empty", "文件是空的")
    return Table(file_format="csv", encoding=encoding, header=[cell.strip() for cell in first[1]], rows=rows)


@contextmanager
def _xlsx(file: IO[bytes]) -> Iterator[Table]:
    """The first sheet, read by python-calamine (Rust): several times faster than openpyxl on a large export."""
    check_extent(file)
    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheet = workbook.get_sheet_by_index(0) if workbook.sheet_names else None
    except Exception as exc:  # calamine raises its own kinds (zip, XML) on a damaged file
        raise UnreadableFile(
            f"not a readable .xlsx workbook ({type(exc).__name__})", "不是可读取的 .xlsx 工作簿"
        ) from None
    if sheet is None:
        raise UnreadableFile("the workbook has no sheet", "工作簿中没有工作表")
    # The sheet's range starts at its first used cell; row numbers and columns stay as Excel shows them.
    first_row, first_column = sheet.start or (0, 0)
    padding = [""] * first_column
    cells = ([*padding, *(_cell(value) for value in values)] for values in sheet.iter_rows())
    rows = _guarded(enumerate(cells, start=first_row + 1), "the first sheet of the workbook cannot be read")
    first = next(rows, None)
    if first is None or not any(first[1]):
        raise UnreadableFile("the first sheet is empty", "第一个工作表是空的")
    yield Table(file_format="xlsx", encoding=None, header=first[1], rows=rows)


def check_extent(file: IO[bytes]) -> None:
    """Refuses a workbook python-calamine could not lay out in memory (sheet_extent), before it tries; rewound."""
    try:
        sheet_extent.check(file, max_cells=MAX_CELLS)
    except sheet_extent.WorkbookRefused as exc:
        raise UnreadableFile(exc.reason, "不是可读取的 .xlsx 工作簿，或其工作表大得无法读取") from None
    finally:
        file.seek(0)


def _guarded(rows: Iterator[tuple[int, list[str]]], problem: str) -> Iterator[tuple[int, list[str]]]:
    """Turns a decoding or parsing failure in the middle of the file into a problem naming the row."""
    number = 0
    try:
        for number, cells in rows:
            yield number, cells
    except UnreadableFile:
        raise
    except Exception as exc:  # csv.Error, UnicodeDecodeError, openpyxl's XML errors: all mean a bad upload
        raise UnreadableFile(
            f"{problem}: after row {number} ({type(exc).__name__}: {exc})"[:500],
            f"第 {number} 行之后的内容无法读取（编码或格式有误）",
        ) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, time | timedelta):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
