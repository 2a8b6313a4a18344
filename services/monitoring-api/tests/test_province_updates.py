"""The province's 帮扶状态 and income verifications, applied through POST /service/province-updates and seen on the
household: each audited and published once, a replay or an older update changes nothing, a verified income below
the year's monitoring threshold raises the 收入线 warning (source: the province) and blocks a risk elimination, PATCH
never sets the status."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, VILLAGE
from dixian_shared import idnumber
from dixian_shared.contracts import SUBSCRIBERS, ActorRef, Topic
from monitoring_api.models import COMMON
from monitoring_api.rules import IncomeLine

from .test_elimination import OPEN, eligible
from .test_measure_helpers import Sessions, Tokens, make_household, set_today
from .test_service_people import service_key

URL = "/service/province-updates"
PROVINCE = "省防返贫监测帮扶系统"


def status_update(seq: int, hid: int, status: str) -> dict[str, Any]:
    return {"seq": seq, "type": "assistance_status", "household_local_id": hid, "assistance_status": status,
            "changed_at": "2024-05-01T10:00:00+08:00"}  # fmt: skip


def income_update(seq: int, hid: int, per_capita: str, year: int = 2024, **fields: Any) -> dict[str, Any]:
    verified = {"year": year, "per_capita_net_income": per_capita, "verified_on": "2024-12-10", **fields}
    return {"seq": seq, "type": "income_verified", "household_local_id": hid, "income_verified": verified}


async def _post(client: httpx.AsyncClient, key: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(URL, json=body, headers=key)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _events(session: AsyncSession) -> list[dict[str, Any]]:
    """The events in the outbox (one row per subscriber, so one event may be several rows)."""
    outbox = COMMON.outbox
    return [row.payload for row in (await session.execute(select(outbox.c.payload).order_by(outbox.c.id))).all()]


async def _audited(session: AsyncSession, seq: int) -> list[Any]:
    audit = COMMON.audit_log
    stmt = select(audit).where(audit.c.entity == "province_update", audit.c.entity_id == str(seq))
    return list((await session.execute(stmt)).all())


async def _province_warnings(
    client: httpx.AsyncClient, headers: dict[str, str], hid: int, *, resolved: bool = False
) -> list[dict[str, Any]]:
    params = {"include_resolved": str(resolved).lower()}
    response = await client.get(f"/households/{hid}/warnings", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [w for w in response.json()["items"] if w["source"] == PROVINCE]


def _grades(warnings: list[dict[str, Any]]) -> dict[str, str]:
    return {w["rule"]: w["grade"] for w in warnings}


async def test_an_assistance_status_is_set_kept_in_the_history_and_applied_once(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    hid = await make_household(monitoring, token_for, session, category="边缘易致贫户")
    key = await service_key(session_on, "province.sync")
    village = token_for("village", VILLAGE)

    assert (await _post(monitoring, key, status_update(11, hid, "帮扶中"))) == {
        "seq": 11, "outcome": "applied", "household_id": hid}  # fmt: skip
    household = (await monitoring.get(f"/households/{hid}", headers=village)).json()
    assert household["assistance_status"] == "帮扶中"
    assert (await _post(monitoring, key, status_update(11, hid, "帮扶中")))["outcome"] == "unchanged"  # replay
    assert (await _post(monitoring, key, status_update(12, hid, "帮扶中")))["outcome"] == "unchanged"  # same status
    assert (await _post(monitoring, key, status_update(13, hid, "帮扶完成")))["outcome"] == "applied"
    # An older update delivered late (a conflict resolved after later ones) does not undo the later status.
    assert (await _post(monitoring, key, status_update(11, hid, "帮扶中")))["outcome"] == "unchanged"

    history = (await monitoring.get(f"/households/{hid}/history", headers=village)).json()["assistance_statuses"]
    assert [(h["seq"], h["previous_status"], h["status"]) for h in history] == [
        (11, None, "帮扶中"),
        (13, "帮扶中", "帮扶完成"),
    ]
    assert history[0]["changed_at"] == "2024-05-01T02:00:00Z"
    assert (await monitoring.get(f"/households/{hid}", headers=village)).json()["assistance_status"] == "帮扶完成"
    assert [len(await _audited(session, seq)) for seq in (11, 12, 13)] == [1, 0, 1]
    [first] = await _audited(session, 11)
    assert first.actor_role == "service" and first.changes["assistance_status"] == [None, "帮扶中"]
    published = {(e["topic"], e["entity"], e["event_id"]) for e in await _events(session) if e["action"] == "province"}
    assert sorted(p[:2] for p in published) == [("monitoring.household.changed", "household")] * 2


async def test_patch_cannot_set_the_provincial_assistance_status(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), category="边缘易致贫户")
    district = token_for("district", DISTRICT)
    refused = await monitoring.patch(
        f"/households/{hid}", json={"assistance_status": "帮扶完成"}, headers={**district, "If-Match": '"1"'}
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["rule"] == "assistance-status-by-province"
    assert problem["errors"][0]["field"] == "body.assistance_status"
    after = (await monitoring.get(f"/households/{hid}", headers=district)).json()
    assert (after["assistance_status"], after["version"]) == (None, 1)


async def test_a_verified_income_below_the_line_raises_the_income_warning_and_a_later_one_resolves_it(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing subscribes to income changes yet: a listener makes the events the outbox would carry visible.
    monkeypatch.setitem(SUBSCRIBERS, Topic.income_changed, (ActorRef("test.income_listener"),))
    session = session_on(COMMON)
    district = token_for("district", DISTRICT)
    hid = await make_household(monitoring, token_for, session, category="脱贫户", lifted_year=2019)
    key = await service_key(session_on, "province.sync")
    items = {"工资性收入": "18000.00", "转移性收入": "2400.50"}

    # 2024's monitoring threshold is 7300 (rules.income_lines): 6900 is below it.
    assert (await _post(monitoring, key, income_update(21, hid, "6900.00", items=items)))["outcome"] == "applied"
    household = (await monitoring.get(f"/households/{hid}", headers=district)).json()
    assert household["income_verifications"] == [
        {
            "year": 2024,
            "per_capita_net_income": "6900.00",
            "verified_on": "2024-12-10",
            "items": {"工资性收入": "18000.00", "转移性收入": "2400.50"},
        }
    ]
    [warning] = await _province_warnings(monitoring, district, hid)
    assert (warning["rule"], warning["grade"]) == ("income_below_threshold", "红色")
    assert (warning["line"], warning["data"]["threshold"], warning["data"]["year"]) == ("收入线", 7300.00, 2024)
    groups = (await monitoring.get(f"/households/{hid}/groups", headers=district)).json()
    assert any(g["key_group"] == "低收入农户" and "6900" in g["reason"] for g in groups)

    # The same seq again, or the same figures under a later seq: nothing changes, nothing is published twice.
    assert (await _post(monitoring, key, income_update(21, hid, "6900.00", items=items)))["outcome"] == "unchanged"
    assert (await _post(monitoring, key, income_update(22, hid, "6900.00", items=items)))["outcome"] == "unchanged"
    verifications = [e for e in await _events(session) if e["entity"] == "household_income_verification"]
    assert [(e["topic"], e["action"]) for e in verifications] == [("monitoring.income.changed", "province")]
    [audited] = await _audited(session, 21)
    assert (audited.action, audited.changes["type"], audited.changes["warnings_raised"]) == (
        "applied",
        "income_verified",
        1,
    )

    # The province corrects the year to 8000: within the 20 % margin above the line, so 黄色 instead of 红色.
    assert (await _post(monitoring, key, income_update(23, hid, "8000.00")))["outcome"] == "applied"
    assert _grades(await _province_warnings(monitoring, district, hid)) == {"income_near_threshold": "黄色"}
    # A year verified well above its line resolves the province's income warnings.
    assert (await _post(monitoring, key, income_update(24, hid, "12000.00", year=2025)))["outcome"] == "applied"
    assert await _province_warnings(monitoring, district, hid) == []
    resolved = await _province_warnings(monitoring, district, hid, resolved=True)
    assert _grades(resolved) == {"income_below_threshold": "红色", "income_near_threshold": "黄色"}
    household = (await monitoring.get(f"/households/{hid}", headers=district)).json()
    assert [v["year"] for v in household["income_verifications"]] == [2025, 2024]
    # A stale correction of 2024 (older seq than the one that set it) is not applied.
    assert (await _post(monitoring, key, income_update(22, hid, "1.00")))["outcome"] == "unchanged"


async def test_an_update_about_a_household_not_in_the_registry_is_unmatched_and_bad_ones_are_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    key = await service_key(session_on, "province.sync")
    stranger = idnumber.make("36070219800101999")
    by_id = {"seq": 31, "type": "assistance_status", "id_number": stranger, "assistance_status": "帮扶中"}
    assert await _post(monitoring, key, by_id) == {"seq": 31, "outcome": "unmatched", "household_id": None}
    assert (await _post(monitoring, key, income_update(32, 2**40, "100.00")))["outcome"] == "unmatched"

    hid = await make_household(monitoring, token_for, session_on(COMMON))
    missing = await monitoring.post(URL, json={"seq": 33, "type": "income_verified", "household_local_id": hid},
                                    headers=key)  # fmt: skip
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.income_verified"
    assert missing.json()["errors"][0]["message"] == "收入核实更新须带核实结果"  # the district reads the reason
    unknown = await monitoring.post(URL, json=status_update(34, hid, "随便"), headers=key)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.assistance_status"
    bad_item = income_update(35, hid, "100.00", items={"彩票收入": "1.00"})
    assert (await monitoring.post(URL, json=bad_item, headers=key)).status_code == 422
    district = token_for("district", DISTRICT)
    after = (await monitoring.get(f"/households/{hid}", headers=district)).json()
    assert (after["assistance_status"], after["income_verifications"]) == (None, [])


async def test_the_paired_cadre_sees_the_status_and_the_verified_income_too(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), category="边缘易致贫户")
    village = token_for("village", VILLAGE)
    paired = await monitoring.post(
        "/pairings", json={"household_id": hid, "since": "2024-01-01", "cadre_user_id": "77"}, headers=village
    )
    assert paired.status_code == 201, paired.text
    key = await service_key(session_on, "province.sync")
    await _post(monitoring, key, status_update(41, hid, "帮扶中"))
    await _post(monitoring, key, income_update(42, hid, "7100.00"))
    await _post(monitoring, key, income_update(43, hid, "6800.00", year=2023))

    seen = (await monitoring.get(f"/paired-households/{hid}", headers=token_for("cadre", VILLAGE, subject="77"))).json()
    assert seen["assistance_status"] == "帮扶中"
    assert [(v["year"], v["per_capita_net_income"]) for v in seen["income_verifications"]] == [
        (2024, "7100.00"),
        (2023, "6800.00"),
    ]


async def test_an_income_the_province_verified_below_the_line_blocks_risk_elimination_until_corrected(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 7, 16))
    hid = await eligible(monitoring, token_for, session_on(COMMON))  # its own 2024 and 2025 incomes are above the line
    key = await service_key(session_on, "province.sync")
    await _post(monitoring, key, income_update(51, hid, "7000.00", year=2025))  # 2025's line is 7500

    refused = await monitoring.post(f"/households/{hid}/eliminations", json=OPEN, headers=token_for("village", VILLAGE))
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "income-stably-above-threshold"
    assert "the province verified an income below the threshold: 2025: 7000" in error["message"]

    await _post(monitoring, key, income_update(52, hid, "8200.00", year=2025))  # the province corrects its figure
    opened = await monitoring.post(f"/households/{hid}/eliminations", json=OPEN, headers=token_for("village", VILLAGE))
    assert opened.status_code == 201, opened.text


async def test_a_line_configured_after_the_verification_is_applied_by_the_next_recompute(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), category="脱贫户", lifted_year=2019)
    key = await service_key(session_on, "province.sync")
    district = token_for("district", DISTRICT)
    assert (await _post(monitoring, key, income_update(61, hid, "7600.00", year=2023)))["outcome"] == "applied"
    assert await _province_warnings(monitoring, district, hid) == []  # no line configured for 2023 (yet)

    rules = monitoring_app.state.ctx.settings.rules
    monitoring_app.state.ctx.settings.rules = rules.model_copy(
        update={"income_lines": {**rules.income_lines, 2023: IncomeLine(threshold=Decimal("8000"))}}
    )
    recomputed = await monitoring.post(f"/households/{hid}/warnings/recompute", headers=district)
    assert recomputed.status_code == 200, recomputed.text
    assert recomputed.json()["rules"]["province.income_below_threshold"]["raised"] == 1
    assert _grades(await _province_warnings(monitoring, district, hid)) == {"income_below_threshold": "红色"}
    again = await monitoring.post("/warnings/recompute", headers=district)  # the whole district: nothing new
    assert again.json()["rules"]["province.income_below_threshold"] == {"raised": 0, "refreshed": 0, "resolved": 0}
