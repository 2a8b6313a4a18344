"""月调度 and 季通报 as of any day, as JSON and as XLSX with Chinese headings; the milestone and the 65% share agree
with the disbursement endpoints because they are the same definitions."""

import io
from datetime import date
from decimal import Decimal

import httpx
import openpyxl
from fastapi import FastAPI

from conftest import OTHER_TOWN_VILLAGE, TOWN
from funds_api.rules import DisbursementRules, FundsRules, Milestone, MonthDay

from .conftest import Clock, Staff
from .helpers import allocate, approved_in_other_town, approved_project, create_source, pay

TOWN_2 = OTHER_TOWN_VILLAGE[:9] + "000"


async def setup(funds: httpx.AsyncClient, staff: Staff, clock: Clock, paid_a: str) -> dict:  # type: ignore[type-arg]
    """A (潭口镇, 产业) and B (潭东镇, 基础设施), 1000.00 each from one central source of 2000.00;
    by 30 June A is paid `paid_a`, B 800.00."""
    a = await approved_project(funds, staff, clock)
    b = await approved_in_other_town(funds, staff, clock, type="基础设施")
    source = await create_source(funds, staff.finance, amount="2000.00")
    alloc_a = await allocate(funds, staff.finance, source, a, "1000.00", clock.today)
    alloc_b = await allocate(funds, staff.finance, source, b, "1000.00", clock.today)
    clock.today = date(2026, 7, 10)
    assert (await pay(funds, staff.finance, alloc_a, paid_a, date(2026, 6, 30))).status_code == 201
    assert (await pay(funds, staff.finance, alloc_b, "800.00", date(2026, 6, 1))).status_code == 201
    return {"a": a, "b": b}


async def test_monthly_report_as_of_30_june(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    made = await setup(funds, staff, clock, "499.99")
    report = (await funds.get("/reports/monthly?as_of=2026-06-30", headers=staff.district)).json()
    assert report["title"] == "2026年衔接资金项目实施和资金拨付月调度（截至2026-06-30）"
    assert (report["total"]["allocated"], report["total"]["paid"], report["total"]["lagging"]) == (
        "2000.00",
        "1299.99",
        1,
    )
    towns = {r["key"]: r for r in report["by_town"]}
    assert (towns[TOWN]["meets_target"], towns[TOWN]["label"], towns[TOWN_2]["meets_target"]) == (False, "潭口镇", True)
    assert [p["project_id"] for p in report["lagging_projects"]] == [made["a"]["id"]]
    assert report["next_library"]["year"] == 2027


async def test_exactly_half_by_30_june_is_not_lagging_in_the_reports(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await setup(funds, staff, clock, "500.00")
    report = (await funds.get("/reports/monthly?as_of=2026-06-30", headers=staff.district)).json()
    assert (report["lagging_projects"], report["total"]["lagging"]) == ([], 0)
    bulletin = (await funds.get("/reports/quarterly?quarter=2026Q2", headers=staff.district)).json()
    assert [t["meets_target"] for t in bulletin["towns"]] == [True, True]


async def test_monthly_report_as_xlsx(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    await setup(funds, staff, clock, "499.99")
    response = await funds.get("/reports/monthly?as_of=2026-06-30&format=xlsx", headers=staff.district)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按乡镇", "按主管部门", "按资金来源", "滞后项目", "2027年项目库"]
    towns = list(book["按乡镇"].iter_rows(values_only=True))
    assert towns[0][0] == "2026年衔接资金项目实施和资金拨付月调度（截至2026-06-30）"
    assert towns[1][0].startswith("当前节点：2026-06-30 前拨付率不低于 50.00%")
    assert towns[3][:4] == ("乡镇", "已分配资金（元）", "已拨付资金（元）", "拨付率（%）")
    rows = {r[0]: r for r in towns[4:]}
    assert rows["潭口镇"][1:5] == (1000, 499.99, 50, "否")
    assert rows["合计"][2] == 1299.99
    lagging = list(book["滞后项目"].iter_rows(min_row=2, values_only=True))
    assert len(lagging) == 1 and lagging[0][8] == "是"


async def test_quarterly_bulletin_ranks_and_the_65_percent_share(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await setup(funds, staff, clock, "499.99")
    bulletin = (await funds.get("/reports/quarterly?quarter=2026Q2", headers=staff.district)).json()
    assert (bulletin["as_of"], bulletin["quarter"], bulletin["title"]) == (
        "2026-06-30",
        2,
        "2026年第2季度衔接资金拨付情况通报（截至2026-06-30）",
    )
    assert [(t["rank"], t["key"], t["meets_target"]) for t in bulletin["towns"]] == [
        (1, TOWN_2, True),
        (2, TOWN, False),
    ]
    # 1000.00 of 2000.00 central funds to 产业: 50% < 65%.
    share = bulletin["central_industry_share"]
    assert (share["share"], share["met"], share["shortfall"]) == ("0.5000", False, "300.00")
    response = await funds.get("/reports/quarterly?quarter=2026Q2&format=xlsx", headers=staff.district)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert next(book["中央资金用于产业"].iter_rows(min_row=2, values_only=True))[2:5] == (50, 65, "否")
    assert [r[1] for r in book["乡镇排名"].iter_rows(min_row=5, values_only=True)] == ["潭东镇", "潭口镇"]


async def test_reports_follow_the_configured_rules(
    funds_app: FastAPI, funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await setup(funds, staff, clock, "450.00")
    funds_app.state.ctx.settings.rules = FundsRules(
        central_industry_min_share=Decimal("0.50"),
        disbursement=DisbursementRules(milestones=[Milestone(due=MonthDay(month=6, day=30), min_rate=Decimal("0.45"))]),
    )
    bulletin = (await funds.get("/reports/quarterly?quarter=2026Q2", headers=staff.district)).json()
    assert (bulletin["total"]["lagging"], bulletin["central_industry_share"]["met"]) == (0, True)
    report = (await funds.get("/reports/monthly?as_of=2026-06-30", headers=staff.district)).json()
    assert report["lagging_projects"] == []


async def test_a_town_reads_its_own_report(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    await setup(funds, staff, clock, "499.99")
    report = (await funds.get("/reports/monthly?as_of=2026-06-30", headers=staff.other_town)).json()
    assert ([r["key"] for r in report["by_town"]], report["total"]["paid"], report["lagging_projects"]) == (
        [TOWN_2],
        "800.00",
        [],
    )
    for bad in ("quarter=2026Q5", "quarter=0000Q1", "as_of=9999-12-31", "quarter=2026Q2&as_of=2027-01-01"):
        response = await funds.get(f"/reports/quarterly?{bad}", headers=staff.district)
        assert response.status_code == 422, bad
    for path in ("/disbursement/by-town", "/reports/monthly", "/fund-sources/central-industry-share?year=2026&"):
        separator = "&" if "?" in path and not path.endswith("&") else ("" if path.endswith("&") else "?")
        response = await funds.get(f"{path}{separator}as_of=9999-12-31", headers=staff.district)
        assert response.status_code == 422, path
