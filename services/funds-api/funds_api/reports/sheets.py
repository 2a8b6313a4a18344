"""The reports laid out as XLSX sheets with Chinese headings (dixian_shared.xlsx writes and streams them)."""

from collections.abc import Iterable, Sequence
from typing import Any

from dixian_shared.xlsx import Column, Sheet
from funds_api.disbursement.schemas import MilestoneRead, ProjectRate, RateRow
from funds_api.reports.schemas import MonthlyReport, QuarterlyBulletin, RankedRow

YUAN = "#,##0.00"
RATE = "0.00%"
MONEY_COLUMNS = [
    Column("已分配资金（元）", YUAN, 18),
    Column("已拨付资金（元）", YUAN, 18),
    Column("拨付率", RATE),
    Column("达到进度要求", width=14),
    Column("项目数"),
    Column("低于当前节点项目数", width=20),
    Column("已过节点未达标项目数", width=22),
]
PROJECT_COLUMNS = [
    Column("项目编号"),
    Column("项目名称", width=36),
    Column("所在村（区划代码）", width=20),
    Column("乡镇（区划代码）", width=20),
    Column("主管部门", width=14),
    *MONEY_COLUMNS[:3],
    Column("低于当前节点", width=14),
    Column("已过节点未达标", width=16),
]


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _money(row: RateRow) -> list[Any]:
    return [row.allocated, row.paid, row.rate, _yes(row.meets_target), row.projects, row.lagging, row.missed]


def _group_sheet(title: str, heading: str, rows: Iterable[RateRow], total: RateRow | None = None) -> Sheet:
    lines: list[Sequence[Any]] = [[r.label, *_money(r)] for r in rows]
    if total is not None:
        lines.append(["合计", *_money(total)])
    return Sheet(title, [Column(heading, width=28), *MONEY_COLUMNS], lines)


def _ranked_sheet(title: str, heading: str, rows: Iterable[RankedRow]) -> Sheet:
    return Sheet(
        title,
        [Column("排名"), Column(heading, width=28), *MONEY_COLUMNS],
        [[r.rank, r.label, *_money(r)] for r in rows],
    )


def _projects_sheet(title: str, rows: Iterable[ProjectRate]) -> Sheet:
    return Sheet(
        title,
        PROJECT_COLUMNS,
        [
            [
                p.project_id,
                p.name,
                p.region_code,
                p.town_code,
                p.owner_department,
                p.allocated,
                p.paid,
                p.rate,
                _yes(p.lagging),
                _yes(p.missed),
            ]
            for p in rows
        ],
    )


def _milestone(name: str, milestone: MilestoneRead | None) -> list[Any]:
    if milestone is None:
        return [name, "无", None, None]
    return [name, milestone.min_rate, milestone.nominal_deadline, milestone.effective_deadline]


def _summary(title: str, as_of: Any, target: MilestoneRead, passed: MilestoneRead | None) -> Sheet:
    return Sheet(
        "说明",
        [
            Column("项目", width=20),
            Column("拨付率要求", RATE),
            Column("节点日期", "yyyy-mm-dd", 14),
            Column("实际截止日（工作日）", "yyyy-mm-dd", 22),
        ],
        [[title, None, as_of, None], _milestone("当前节点", target), _milestone("已过节点", passed)],
    )


def monthly_sheets(report: MonthlyReport) -> list[Sheet]:
    library = report.next_library
    return [
        _summary(report.title, report.as_of, report.target, report.passed),
        _group_sheet("按乡镇", "乡镇", report.by_town, report.total),
        _group_sheet("按主管部门", "主管部门", report.by_department, report.total),
        _group_sheet("按资金来源", "资金来源（级次·文号）", report.by_fund_source, report.total),
        _projects_sheet("滞后项目", report.lagging_projects),
        Sheet(
            f"{library.year}年项目库",
            [
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
            ],
            [
                [
                    t.town_name,
                    t.declared,
                    t.awaiting_town,
                    t.awaiting_district,
                    t.approved,
                    t.returned,
                    t.refused,
                    _yes(t.complete),
                    _yes(t.late),
                    t.days_late,
                ]
                for t in library.towns
            ],
        ),
    ]


def quarterly_sheets(bulletin: QuarterlyBulletin) -> list[Sheet]:
    share = bulletin.central_industry_share
    return [
        _summary(bulletin.title, bulletin.as_of, bulletin.target, bulletin.passed),
        _ranked_sheet("乡镇排名", "乡镇", bulletin.towns),
        _ranked_sheet("部门排名", "主管部门", bulletin.departments),
        _group_sheet("按资金来源", "资金来源（级次·文号）", bulletin.by_fund_source, bulletin.total),
        Sheet(
            "中央资金用于产业",
            [
                Column("中央衔接资金（元）", YUAN, 20),
                Column("用于产业项目（元）", YUAN, 20),
                Column("占比", RATE),
                Column("要求不低于", RATE, 12),
                Column("是否达标"),
                Column("尚差（元）", YUAN, 16),
            ],
            [
                [
                    share.central_total,
                    share.industry_allocated,
                    share.share,
                    share.min_share,
                    _yes(share.met),
                    share.shortfall,
                ]
            ],
        ),
        _projects_sheet("滞后项目", bulletin.lagging_projects),
    ]
