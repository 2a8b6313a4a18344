"""What the household import refuses before it reads a row: an empty, old, broken or too large file, a wrong header
row, bad form fields, a role that does not import. A 422 (or 403) problem naming the file or field; nothing written."""

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import TOWN, VILLAGE
from dixian_shared.testing import workbooks
from monitoring_api.imports.columns import HEADERS
from monitoring_api.models import COMMON

from .test_import_files import csv_bytes, family, upload
from .test_import_households import written

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]


@pytest.mark.parametrize(
    ("content", "slug", "needle"),
    [
        (b"", "import-unreadable-file", "空的"),
        (csv_bytes([], header=[h for h in HEADERS if h != "证件号码"]), "import-bad-header", "缺少列［证件号码］"),
        (csv_bytes([], header=[*HEADERS, "姓名"]), "import-bad-header", "重复列［姓名］"),
        (csv_bytes([]), "import-empty", "没有成员行"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "import-unreadable-file", ".xls"),
        (b"PK\x03\x04 this is no workbook", "import-unreadable-file", "xlsx"),
        ('户编号,姓名\n"unterminated'.encode(), "import-bad-header", "缺少列"),
        # 5 KB asking python-calamine for a 550 GB grid: the process aborted before the sheet's extent was checked
        (workbooks.far_cell("XFD1048576", list(HEADERS)), "import-unreadable-file", "大得无法读取"),
    ],
    ids=[
        "empty",
        "missing-column",
        "duplicate-column",
        "header-only",
        "old-xls",
        "broken-zip",
        "bad-header",
        "far-cell",
    ],
)
async def test_unreadable_files_are_422_problems(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, content: bytes, slug: str, needle: str
) -> None:
    response = await upload(monitoring, token_for("village", VILLAGE), content)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith(f"/{slug}")
    assert needle in problem["detail"]
    assert problem["errors"][0]["field"].startswith("file")
    assert await written(session_on(COMMON)) == (0, 0, 0, 0)


async def test_form_fields_are_validated_and_roles_checked(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    content = csv_bytes(family("H-X", VILLAGE, 1))
    bad_mode = await upload(monitoring, token_for("village", VILLAGE), content, mode="lenient")
    assert bad_mode.status_code == 422
    assert bad_mode.json()["errors"][0]["field"] == "body.mode"
    bad_region = await upload(monitoring, token_for("village", VILLAGE), content, region_code="36")
    assert bad_region.json()["errors"][0]["field"] == "body.region_code"
    missing = await monitoring.post("/imports/households", data={"mode": "strict"}, headers=token_for("town", TOWN))
    assert missing.json()["errors"][0]["field"] == "body.file"
    cadre = await upload(monitoring, token_for("cadre", VILLAGE), content)
    assert cadre.status_code == 403
