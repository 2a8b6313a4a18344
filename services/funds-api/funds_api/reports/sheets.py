"""The reports laid out as XLSX sheets with Chinese headings, written by the shared streaming writer."""

from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from dixian_shared import xlsx
from dixian_shared.xlsx import XlsxWriter
from funds_api.disbursement.schemas import MilestoneRead, ProjectRate, RateRow
from funds_api.reports.schemas import MonthlyReport, QuarterlyBulletin, RankedRow

MONEY_HEADINGS = [
    "已分配资金（元）",
    "已拨付资金（元）",
    "拨付率（%）",
    "达到进度要求",
    "项目数",
    "低于当前节点项目数",
    "已过节点未达标项目数",
]
PROJECT_HEADINGS = [
    "项目编号",
    "项目名称",
    "所在村（区划代码）",
    "乡镇（区划代码）",
    "主管部门",
    *MONEY_HEADINGS[:3],
    "低于当前节点",
    "已过节点未达标",
]
LIBRARY_HEADINGS = [
    "乡镇",
    "已申报",
    "待乡审核",
    "待区审定",
    "已入库",
    "乡镇退回",
    "区级未通过",
    "已完成",
    "逾期",
    "逾期天数",
]


def percent(rate: Decimal | None) -> Decimal | None:
    """拨付率 as a percentage with two places, as the district reports it (0.4999 → 49.99)."""
    return None if rate is None else (rate * 100).quantize(Decimal("0.01"))


def _money(row: RateRow) -> list[Any]:
    return [row.allocated, row.paid, percent(row.rate), row.meets_target, row.projects, row.lagging, row.missed]


def _milestone(milestone: MilestoneRead | None) -> str:
    if milestone is None:
        return "无"
    note = "（遇节假日提前）" if milestone.non_working_day else ""
    rate = percent(milestone.min_rate)
    return f"{milestone.nominal_deadline} 前拨付率不低于 {rate}%，实际截止 {milestone.effective_deadline}{note}"


def _notes(target: MilestoneRead, passed: MilestoneRead | None) -> list[str]:
    return [f"当前节点：{_milestone(target)}", f"已过节点：{_milestone(passed)}"]


def _groups(writer: XlsxWriter, name: str, heading: str, rows: Iterable[RateRow], total: RateRow) -> None:
    sheet = writer.add_sheet(name, [heading, *MONEY_HEADINGS])
    sheet.extend([r.label, *_money(r)] for r in rows)
    sheet.append(["合计", *_money(total)])


def _ranked(writer: XlsxWriter, name: str, heading: str, rows: Iterable[RankedRow]) -> None:
    sheet = writer.add_sheet(name, ["排名", heading, *MONEY_HEADINGS])
    sheet.extend([r.rank, r.label, *_money(r)] for r in rows)


def _projects(writer: XlsxWriter, rows: Iterable[ProjectRate]) -> None:
    sheet = writer.add_sheet("滞后项目", PROJECT_HEADINGS)
    sheet.extend(
        [
            p.project_id,
            p.name,
            p.region_code,
            p.town_code,
            p.owner_department,
            p.allocated,
            p.paid,
            percent(p.rate),
            p.lagging,
            p.missed,
        ]
        for p in rows
    )


def monthly_workbook(report: MonthlyReport) -> IO[bytes]:
    workbook = xlsx.spool()
    writer = XlsxWriter(workbook)
    town = writer.add_sheet(
        "按乡镇", ["乡镇", *MONEY_HEADINGS], title=report.title, notes=_notes(report.target, report.passed)
    )
    town.extend([r.label, *_money(r)] for r in report.by_town)
    town.append(["合计", *_money(report.total)])
    _groups(writer, "按主管部门", "主管部门", report.by_department, report.total)
    _groups(writer, "按资金来源", "资金来源（级次·文号）", report.by_fund_source, report.total)
    _projects(writer, report.lagging_projects)
    library = report.next_library
    sheet = writer.add_sheet(
        f"{library.year}年项目库",
        LIBRARY_HEADINGS,
        notes=[f"申报开始 {library.opens_on}，截止 {library.nominal_deadline}（实际 {library.effective_deadline}）"],
    )
    sheet.extend(
        [
            t.town_name,
            t.declared,
            t.awaiting_town,
            t.awaiting_district,
            t.approved,
            t.returned,
            t.refused,
            t.complete,
            t.late,
            t.days_late,
        ]
        for t in library.towns
    )
    writer.close()
    return workbook


def quarterly_workbook(bulletin: QuarterlyBulletin) -> IO[bytes]:
    workbook = xlsx.spool()
    writer = XlsxWriter(workbook)
    towns = writer.add_sheet(
        "乡镇排名",
        ["排名", "乡镇", *MONEY_HEADINGS],
        title=bulletin.title,
        notes=_notes(bulletin.target, bulletin.passed),
    )
    towns.extend([r.rank, r.label, *_money(r)] for r in bulletin.towns)
    _ranked(writer, "部门排名", "主管部门", bulletin.departments)
    _groups(writer, "按资金来源", "资金来源（级次·文号）", bulletin.by_fund_source, bulletin.total)
    share = bulletin.central_industry_share
    sheet = writer.add_sheet(
        "中央资金用于产业",
        ["中央衔接资金（元）", "用于产业项目（元）", "占比（%）", "要求不低于（%）", "是否达标", "尚差（元）"],
    )
    sheet.append(
        [
            share.central_total,
            share.industry_allocated,
            percent(share.share),
            percent(share.min_share),
            share.met,
            share.shortfall,
        ]
    )
    _projects(writer, bulletin.lagging_projects)
    writer.close()
    return workbook
