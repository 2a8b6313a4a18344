"""A workbook's grid is known before any reader lays it out: far cells, odd spellings of the reference, bombs."""

import io
import zipfile

import pytest

from dixian_shared import sheet_extent
from dixian_shared.testing.workbooks import far_cell

HEADINGS = ["劳动力编号", "身份证号"]


def _with_sheet(xml: bytes) -> bytes:
    """A one-sheet package whose sheet is `xml` as written (no reader needed to make it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", xml)
        package.writestr("xl/theme/theme1.xml", b'<a:lin xmlns:a="x" dir="5400000" ang="5400000"/>')
    return buffer.getvalue()


@pytest.mark.parametrize(
    "cell, grid",
    [("B7", (99_999, 26)), ("I1048576", (1_048_576, 26)), ("XFD3", (99_999, 16_384)), ("AA100000", (100_000, 27))],
)
def test_the_grid_reaches_the_farthest_cell(cell: str, grid: tuple[int, int]) -> None:
    assert sheet_extent.grid(far_cell(cell, HEADINGS), 1 << 30) == grid


@pytest.mark.parametrize(
    "reference",
    [b' r="XFD1048576"', b" r='XFD1048576'", b' r = "XFD1048576"', b'\nr=\n"xfd1048576"', b'\tr="XFD1048576"'],
)
def test_every_spelling_xml_allows_is_read(reference: bytes) -> None:
    sheet = b'<worksheet><sheetData><row r="1"><c' + reference + b' t="n"><v>1</v></c></row></sheetData></worksheet>'
    assert sheet_extent.grid(_with_sheet(sheet), 1 << 30) == (1_048_576, 16_384)


def test_a_row_without_cell_references_counts_and_other_attributes_ending_in_r_do_not() -> None:
    sheet = b'<worksheet><sheetData><row r="300000"><c t="n"><v>1</v></c></row></sheetData></worksheet>'
    assert sheet_extent.grid(_with_sheet(sheet), 1 << 30) == (300_000, 26)  # not the theme's dir="5400000"


def test_a_reference_split_between_two_reads_is_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_extent, "READ_BYTES", 50)
    padding = b"<row r='2'><c r='A2'><v>1</v></c></row>" * 5
    sheet = b"<worksheet><sheetData>" + padding + b'<row r="7"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    for shift in range(40):  # the reference falls across the boundary at every offset
        assert sheet_extent.grid(_with_sheet(b" " * shift + sheet), 1 << 30) == (1_048_576, 16_384)


def test_check_refuses_a_grid_above_the_budget_and_passes_one_below() -> None:
    sheet_extent.check(far_cell("I100000", HEADINGS), max_cells=100_000 * 26)
    with pytest.raises(sheet_extent.TooLargeSheet, match="row 1048576 and column 16384"):
        sheet_extent.check(far_cell("XFD1048576", HEADINGS), max_cells=5_000_000)


def test_a_compression_bomb_and_a_damaged_package_are_refused() -> None:
    bomb = _with_sheet(b"<worksheet>" + b" " * (4 << 20) + b"</worksheet>")  # 4 MiB of XML in a few KiB
    assert len(bomb) < 64 << 10
    with pytest.raises(sheet_extent.TooLargeSheet, match="inflates to more than"):
        sheet_extent.check(bomb, max_cells=1, max_inflated=1 << 20)
    damaged = bytearray(far_cell("B2", HEADINGS))
    damaged[200:260] = b"\0" * 60
    with pytest.raises(sheet_extent.WorkbookRefused):
        sheet_extent.check(bytes(damaged), max_cells=5_000_000)
