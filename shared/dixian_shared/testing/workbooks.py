"""Workbooks a hostile client could send, for the tests of every service that reads uploads."""

import io
import re
import zipfile

from openpyxl import Workbook


def far_cell(cell: str, headings: list[str], *, dimension: str = "A1:I2") -> bytes:
    """The headings in row 1 and one value at `cell` (say XFD1048576), the sheet declaring a small `dimension` so
    that a reader trusting it takes the file for a small one."""
    book = Workbook()
    book.active.append(headings)
    book.active[cell] = "x"
    saved = io.BytesIO()
    book.save(saved)
    source, crafted = zipfile.ZipFile(saved), io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), content)
            target.writestr(name, content)
    return crafted.getvalue()
