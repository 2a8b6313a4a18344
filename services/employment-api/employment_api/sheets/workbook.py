"""Writes the village's month as an XLSX template, and an uploaded sheet back with its bad cells marked."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from employment_api.sheets.columns import COLUMNS, HEADINGS, INDEX, SHEET_TITLE
from employment_api.sheets.rows import RowError

BAD = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
READ_ONLY = PatternFill(start_color="FFEDEDED", end_color="FFEDEDED", fill_type="solid")
MAX_ROWS = 1_048_576


def _sheet(workbook: Workbook, rows: int) -> Any:
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADINGS))
    sheet.freeze_panes = "A2"
    for n, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = column.width
        sheet.cell(row=1, column=n).font = Font(bold=True)
        if column.choices:
            # The drop-down list of a coded column, over the whole column below the heading.
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.heading,
                error=f"请从下拉列表中选择{column.heading}",
            )
            validation.add(f"{letter}2:{letter}{max(rows + 1, 2) + 500}")
            sheet.add_data_validation(validation)
    return sheet


def _cell(value: object) -> object:
    """A value openpyxl will write: control characters (an uploaded NUL, a stored \\x01) are dropped, not fatal."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def template(rows: Iterable[Sequence[object]], count: int) -> bytes:
    """One row per labourer: id, ID number and name (grey, not to be changed), then the job fields to fill."""
    workbook = Workbook()
    sheet = _sheet(workbook, count)
    for row in rows:
        sheet.append(["" if value is None else _cell(value) for value in row])
    for n, column in enumerate(COLUMNS, start=1):
        if column.read_only:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.fill = READ_ONLY
    # ID numbers as text, so a spreadsheet program keeps all 18 characters.
    for (cell,) in sheet.iter_rows(min_row=2, min_col=INDEX["id_number"] + 1, max_col=INDEX["id_number"] + 1):
        cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_report(header: Sequence[str], rows: Sequence[Sequence[str]], errors: Sequence[RowError]) -> bytes:
    """The sheet as uploaded, each bad cell filled and carrying a comment that says what is wrong."""
    workbook = Workbook()
    sheet = _sheet(workbook, len(rows))
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for error in errors:
        cell = sheet.cell(row=error.row, column=INDEX.get(error.column, 0) + 1)
        cell.fill = BAD
        previous = cell.comment.text + "\n" if cell.comment else ""
        cell.comment = Comment(previous + error.message, "就业台账校验")
    if list(header) != list(HEADINGS):
        sheet.cell(row=1, column=1).comment = Comment("表头应为模板的表头：" + "、".join(HEADINGS), "就业台账校验")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
