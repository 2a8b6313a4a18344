"""The row error report as the uploaded file itself: the first sheet with every bad cell filled red and carrying a
comment that says what is wrong, plus a 错误清单 sheet listing them. A CSV comes back as a workbook of its rows."""

import csv
import io
from collections.abc import Sequence

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from monitoring_api.imports import reader
from monitoring_api.imports.schemas import RowError

BAD = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
AUTHOR = "农户导入校验"


def _book(content: bytes) -> openpyxl.Workbook:
    if content.startswith(reader.ZIP_MAGIC):
        return openpyxl.load_workbook(io.BytesIO(content))
    encoding = reader.detect_encoding(content[: reader.SNIFF_BYTES])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "导入文件"
    for cells in csv.reader(io.StringIO(content.decode(encoding, errors="replace"), newline="")):
        sheet.append(cells)
    return book


def marked(content: bytes, errors: Sequence[RowError]) -> bytes:
    book = _book(content)
    sheet = book.worksheets[0]
    header_row = sheet.min_row
    columns = {
        str(cell.value).strip(): cell.column for cell in sheet[header_row] if cell.value is not None
    }  # the bad column by its Chinese name, wherever the file put it
    listing = book.create_sheet("错误清单")
    listing.append(["行号", "列", "错误原因"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for error in errors:
        cell = sheet.cell(row=error.row, column=columns.get(error.field, 1))
        cell.fill = BAD
        text = f"{error.field}：{error.reason}"
        cell.comment = Comment(f"{cell.comment.text}\n{text}" if cell.comment else text, AUTHOR)
        listing.append([error.row, error.field, error.reason])
    listing.column_dimensions["B"].width = 20
    listing.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
