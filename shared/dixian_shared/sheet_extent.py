"""How large a grid an uploaded workbook's sheets would be laid out as, found before any reader lays one out.

python-calamine lays a sheet out as a dense grid from its first to its last cell: a 5 KB workbook with one cell at
XFD1048576 asks for 550 GB and aborts the whole process (measured), and one at I1048576 costs half a gigabyte. So the
row and cell references (`r="B7"`, `r="7"`) of every part are read first, as they are inflated, without parsing the
XML: whatever part a reader takes for a sheet is covered, wherever the package puts it. Only a stretch holding a far
reference (row 100,000 and on, column AA and on) is converted, so an ordinary sheet costs one regular-expression pass.
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

NEAR_ROWS = 99_999  # rows of five digits or fewer are never converted
NEAR_COLUMNS = 26  # nor single-letter columns
READ_BYTES = 1 << 20
OVERLAP = 32  # longer than any cell reference attribute, so one split between two reads is still seen
# FAR finds, fast (a literal start), any stretch that may hold a far reference, also in attributes whose names end in r
# (a theme's dir="5400000"); REFERENCE then reads the attributes named r alone. XML allows `r = "B7"` too: no writer
# does it, so a stretch with such spacing (SPACED, also fast) is read the slower way.
FAR = re.compile(rb"""r=["'](?:[A-Za-z]{2,}\d|[A-Za-z]{0,3}\d{6})""")
SPACED = re.compile(rb"r(?:[ \t\r\n]+=|=[ \t\r\n])")
REFERENCE = re.compile(rb"""(?<![\w:.-])r[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z]*)(\d+)["']""")


class WorkbookRefused(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooLargeSheet(WorkbookRefused):
    pass


UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes as it is inflated, each read starting with the last OVERLAP bytes of the one before."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(READ_BYTES):
            yield tail + chunk
            tail = chunk[-OVERLAP:]


def grid(data: bytes | IO[bytes], max_inflated: int) -> tuple[int, int]:
    """(rows, columns) at most of the grid any sheet of the workbook lays out. Raises TooLargeSheet when its parts
    inflate to more than `max_inflated` bytes (a compression bomb), WorkbookRefused when it cannot be inflated."""
    try:
        return _grid(io.BytesIO(data) if isinstance(data, bytes) else data, max_inflated)
    except UNREADABLE as exc:  # damaged, encrypted, or compressed in a way zipfile cannot inflate
        raise WorkbookRefused(f"not a readable XLSX workbook ({exc.__class__.__name__})") from None


def _grid(source: IO[bytes], max_inflated: int) -> tuple[int, int]:
    rows, columns, inflated = NEAR_ROWS, NEAR_COLUMNS, 0
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            for chunk in _chunks(archive, info):
                inflated += len(chunk)
                if inflated > max_inflated:
                    raise TooLargeSheet(f"the workbook inflates to more than {max_inflated} bytes")
                if FAR.search(chunk) is None and SPACED.search(chunk) is None:
                    continue
                for letters, digits in REFERENCE.findall(chunk):
                    rows, columns = max(rows, int(digits)), max(columns, _column(letters))
    return rows, columns


def check(data: bytes | IO[bytes], *, max_cells: int, max_inflated: int = 512 << 20) -> None:
    """Raises TooLargeSheet if a sheet of the workbook would be laid out as more than `max_cells` cells."""
    rows, columns = grid(data, max_inflated)
    if rows * columns > max_cells:
        raise TooLargeSheet(f"a sheet reaches row {rows} and column {columns}: more than {max_cells} cells to lay out")
