"""A streaming XLSX writer: rows go to disk as they come, so a sheet of any length costs the same memory.

openpyxl's write-only mode also streams, but builds a cell object per value; writing the sheet XML directly is
several times faster and needs no dependency. Strings are inline (no shared-string table to hold in memory), dates
are real Excel dates, money (a Decimal of two places, as a NUMERIC(14, 2) column reads) a number shown with two
decimals, the header row is bold, frozen and filtered. Each sheet's rows are kept in their own temporary
file until `close()` puts the package together, so rows of several sheets may be written interleaved.
"""

import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import IO, Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHANGHAI = ZoneInfo("Asia/Shanghai")
EXCEL_EPOCH = date(1899, 12, 30)
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
# Characters XML 1.0 cannot carry; a stray control character from a department's file must not break the workbook.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STYLE_DATE, STYLE_DATETIME, STYLE_HEADER, STYLE_TITLE, STYLE_WRAP, STYLE_MONEY = 1, 2, 3, 4, 5, 6
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="166" formatCode="#,##0.00"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font>
<font><b/><sz val="16"/><name val="等线"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">
<alignment horizontal="center"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">
<alignment wrapText="1" vertical="top"/></xf>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value[:MAX_CELL_CHARS]))


def _width(text: str) -> float:
    # A CJK character takes two columns of the default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2


def _serial(value: date | datetime) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI).replace(tzinfo=None)
        moment = value - datetime.combine(EXCEL_EPOCH, time())
        return moment.days + moment.seconds / 86400
    return float((value - EXCEL_EPOCH).days)


def cell_xml(ref: str, value: Any, style: int = 0) -> str:
    """One cell; None is an empty cell, booleans read 是/否, enums their (Chinese) value."""
    kind = type(value)
    if kind is str:  # most cells: checked first
        if not value:
            return ""
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if value is None:
        return ""
    s = f' s="{style}"' if style else ""
    if kind is int and abs(value) < 10**15:
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, bool):
        value = "是" if value else "否"
    elif isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{_serial(value):.0f}</v></c>'
    if isinstance(value, int | float | Decimal) and -(10**15) < value < 10**15:
        if not style and isinstance(value, Decimal) and value.as_tuple().exponent == -2:
            s = f' s="{STYLE_MONEY}"'
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


@dataclass
class Sheet:
    """One worksheet being written; rows are appended to a temporary file."""

    name: str
    headers: Sequence[str]
    title: str | None = None
    notes: Sequence[str] = ()
    landscape: bool = False
    autofilter: bool = True
    rows: int = 0
    # Closed by copy_to once the package is written; a temporary file lives as long as the sheet.
    _body: IO[str] = field(default_factory=lambda: tempfile.TemporaryFile("w+", encoding="utf-8"))  # noqa: SIM115
    _letters: list[str] = field(default_factory=list)
    footer_from: int = 0

    def __post_init__(self) -> None:
        self._letters = [column_letter(i) for i in range(len(self.headers))]
        if self.title:
            self._row([self.title], STYLE_TITLE)
        for note in self.notes:
            self._row([note])
        self.header_row = self.rows + 1
        self._row(self.headers, STYLE_HEADER)

    def _row(self, values: Sequence[Any], style: int = 0) -> None:
        if self.rows >= MAX_ROWS:
            raise OverflowError(f"a sheet holds at most {MAX_ROWS} rows")
        self.rows += 1
        n = self.rows
        cells = "".join(cell_xml(f"{letter}{n}", v, style) for letter, v in zip(self._letters, values, strict=False))
        self._body.write(f'<row r="{n}">{cells}</row>')

    def append(self, values: Sequence[Any], style: int = 0) -> None:
        self._row(values, style)

    def footer(self, lines: Sequence[str]) -> None:
        """Lines of text under the table (a notice's objection period, its signature); outside the filter."""
        self.footer_from = self.rows + 1
        for line in lines:
            self._row([line])

    def extend(self, rows: Iterable[Sequence[Any]], style: int = 0) -> None:
        for values in rows:
            self._row(values, style)

    def _head(self) -> str:
        widths = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{min(max(_width(h), 8), 50)}" customWidth="1"/>'
            for i, h in enumerate(self.headers)
        )
        fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self.landscape else ""
        split = self.header_row
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'{fit}<sheetViews><sheetView workbookViewId="0"><pane ySplit="{split}" topLeftCell="A{split + 1}" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f"<cols>{widths}</cols><sheetData>"
        )

    def _tail(self) -> str:
        last = self._letters[-1] if self._letters else "A"
        merge = f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells>' if self.title else ""
        page = '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        if self.landscape:
            page += '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        end = self.footer_from - 1 if self.footer_from else self.rows
        autofilter = f'<autoFilter ref="A{self.header_row}:{last}{end}"/>' if self.autofilter else ""
        return f"</sheetData>{autofilter}{merge}{page}</worksheet>"

    def copy_to(self, out: IO[bytes]) -> None:
        out.write(self._head().encode())
        self._body.seek(0)
        while chunk := self._body.read(1 << 16):
            out.write(chunk.encode())
        out.write(self._tail().encode())
        self._body.close()


class XlsxWriter:
    """Write sheets, then `close()` to get the workbook in `target` (any writable binary file)."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sheets: list[Sheet] = []

    def add_sheet(
        self,
        name: str,
        headers: Sequence[str],
        *,
        title: str | None = None,
        notes: Sequence[str] = (),
        landscape: bool = False,
        autofilter: bool = True,
    ) -> Sheet:
        sheet = Sheet(
            name=_sheet_name(name),
            headers=headers,
            title=title,
            notes=notes,
            landscape=landscape,
            autofilter=autofilter,
        )
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        with zipfile.ZipFile(self.target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            package.writestr("[Content_Types].xml", self._content_types())
            package.writestr("_rels/.rels", _ROOT_RELS)
            package.writestr("xl/workbook.xml", self._workbook())
            package.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            package.writestr("xl/styles.xml", _STYLES)
            for number, sheet in enumerate(self.sheets, start=1):
                with package.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                    sheet.copy_to(out)

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheets}</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{escape(s.name)}" sheetId="{n}" r:id="rId{n}"/>' for n, s in enumerate(self.sheets, 1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"'{escape(s.name)}'!$A${s.header_row}:${s._letters[-1] if s._letters else 'A'}${s.rows}</definedName>"
            for n, s in enumerate(self.sheets)
            if s.autofilter
        )
        names = f"<definedNames>{names}</definedNames>" if names else ""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets>{names}</workbook>"
        )

    def _workbook_rels(self) -> str:
        n = len(self.sheets)
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += (
            f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/>'
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
        )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _sheet_name(name: str) -> str:
    # Excel forbids these characters in a sheet name and cuts it at 31.
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Sheet1"


def spool() -> IO[bytes]:
    """Where a workbook is built before it is sent: on disk, deleted when closed."""
    return tempfile.TemporaryFile()
