"""employment-api against a hostile client: each input below once gave a 500, a second grant or a misleading answer.
Now each is a 4xx problem naming the field (or a refused sheet naming the cell) and changes nothing."""

import csv
import io
import zipfile
from datetime import date

import httpx
from fastapi import FastAPI
from workforce_helpers import Sessions, Tokens, count, make_labourer, set_today

from conftest import VILLAGE
from employment_api.models import COMMON
from employment_api.roster.models import Labourer
from employment_api.sheets.columns import HEADINGS
from employment_api.subsidies.models import Subsidy

UPLOAD = f"/ledger/2026-10/villages/{VILLAGE}/upload"


def _csv(*rows: list[str]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([list(HEADINGS), *rows])
    return text.getvalue().encode()


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


async def _labourer(session: Sessions) -> tuple[int, str]:
    async with session(COMMON) as s:
        labourer_id = await make_labourer(s, birth_date=date(1980, 1, 1))
        id_number = (await s.get(Labourer, labourer_id)).id_number  # type: ignore[union-attr]
        await s.commit()
    return labourer_id, id_number


async def test_removing_an_entrys_status_is_a_422_and_changes_nothing(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, date(2026, 11, 10))
    labourer_id, _ = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    body = {"labourer_id": labourer_id, "status": "务工", "place": "县内"}
    entry = (await employment.post("/ledger/2026-11/entries", json=body, headers=village)).json()
    response = await employment.patch(
        f"/ledger/entries/{entry['id']}", json={"status": None}, headers={**village, "If-Match": '"1"'}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "body.status"
    assert response.json()["errors"][0]["message"] == "可以修改，不能删除"
    again = (await employment.get(f"/ledger/entries/{entry['id']}", headers=village)).json()
    assert (again["status"], again["version"]) == ("务工", 1)


async def test_a_period_with_a_trailing_newline_is_refused_not_granted_twice(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, date(2026, 8, 10))
    labourer_id, _ = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    grant = {"labourer_id": labourer_id, "kind": "交通补贴", "period": "2026", "amount": "500.00",
             "granted_on": "2026-08-01", "granted_by": "区人社局"}  # fmt: skip
    assert (await employment.post("/subsidies", json=grant, headers=village)).status_code == 201
    # `$` matched before a final newline: "2026\n" passed as a year the unique index counted apart from "2026".
    second = await employment.post("/subsidies", json={**grant, "period": "2026\n"}, headers=village)
    assert second.status_code == 422, second.text
    assert second.json()["rule"] == "subsidy-period"
    assert await count(session_on(COMMON), Subsidy) == 1
