"""Money in a workbook: a number (not text) shown with two decimals; other decimals keep the general format."""

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from python_calamine import CalamineWorkbook

from dixian_shared.xlsx import STYLE_MONEY, XlsxWriter


def test_money_is_a_number_shown_with_two_decimals() -> None:
    target = io.BytesIO()
    writer = XlsxWriter(target)
    writer.add_sheet("资金", ["金额", "年利率", "日期"]).extend(
        [[Decimal("1234.50"), Decimal("0.0310"), date(2025, 6, 30)], [Decimal("50000.00"), None, None]]
    )
    writer.close()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(target.getvalue())).get_sheet_by_index(0).to_python()
    assert rows[1][:2] == [1234.5, 0.031]
    assert rows[2][0] == 50000.0
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
        styles = package.read("xl/styles.xml").decode()
    assert re.search(rf'<c r="A2" s="{STYLE_MONEY}"><v>1234.50</v>', sheet)
    assert '<c r="B2"><v>0.0310</v>' in sheet  # a rate is not money
    money_xf = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])[STYLE_MONEY]
    assert 'numFmtId="166"' in money_xf and 'formatCode="#,##0.00"' in styles
