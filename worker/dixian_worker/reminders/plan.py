"""Which deadlines to remind on a day, and one message per place summarising them (pure: no I/O).

A deadline is reminded twice: once when its effective deadline (the last working day on or before the nominal one)
is `lead_workdays` working days away or nearer (即将到期), and once when it has been missed (已逾期). A missed one
also goes one level up: a village's to its town, a town's to the district.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dixian_shared.contracts import DeadlineItem
from dixian_shared.workdays import WorkdayCalendar

DUE = "即将到期"
MISSED = "已逾期"
LEVEL_ABOVE = {"village": "town", "town": "district", "district": None}

Mark = tuple[str, str, date, str]  # kind, region_code, nominal deadline, stage


def parent_code(code: str, level: str) -> str:
    """The town of a village or the district of a town, by the structure of the 12-digit code."""
    return code[:9] + "000" if level == "village" else code[:6] + "000000"


@dataclass
class Line:
    item: DeadlineItem
    stage: str
    escalated: bool  # a missed deadline of a place below the recipient

    def as_json(self, link_base: str) -> dict[str, Any]:
        return {
            "kind": self.item.kind,
            "label": self.item.label,
            "stage": self.stage,
            "escalated": self.escalated,
            "region_code": self.item.region_code,
            "count": self.item.count,
            "nominal_deadline": self.item.nominal_deadline.isoformat(),
            "effective_deadline": self.item.effective_deadline.isoformat(),
            "non_working_day": self.item.non_working_day,
            "link": link_base + self.item.link,
        }

    def text(self, link_base: str) -> str:
        item = self.item
        when = f"截止{item.nominal_deadline:%m月%d日}"
        if item.non_working_day:
            when += f"（非工作日，请于{item.effective_deadline:%m月%d日}前完成）"
        where = f"[{item.region_code}] " if self.escalated else ""
        return f"· {self.stage} {where}{item.label}：{item.count}条，{when} {link_base}{item.link}"


@dataclass
class Message:
    region_code: str
    role: str
    lines: list[Line] = field(default_factory=list)

    def title(self, on: date) -> str:
        due = sum(1 for line in self.lines if line.stage == DUE)
        missed = sum(1 for line in self.lines if line.stage == MISSED and not line.escalated)
        below = sum(1 for line in self.lines if line.escalated)
        title = f"{on:%m月%d日}待办提醒：{due}项即将到期，{missed}项已逾期"
        return title + (f"，下级{below}项逾期" if below else "")

    def body(self, link_base: str) -> str:
        return "\n".join(line.text(link_base) for line in self.lines)

    def summary(self, on: date, link_base: str) -> dict[str, Any]:
        return {
            "on": on.isoformat(),
            "due": sum(1 for line in self.lines if line.stage == DUE),
            "missed": sum(1 for line in self.lines if line.stage == MISSED and not line.escalated),
            "escalated": sum(1 for line in self.lines if line.escalated),
            "records": sum(line.item.count for line in self.lines),
            "items": [line.as_json(link_base) for line in self.lines],
        }


@dataclass
class Plan:
    messages: list[Message]
    marks: list[Mark]


def stage_of(item: DeadlineItem, on: date, calendar: WorkdayCalendar, lead_workdays: int) -> str | None:
    if item.state == "overdue":
        return MISSED
    if calendar.workdays_between(on, item.effective_deadline) <= lead_workdays:
        return DUE
    return None


def plan(
    items: Iterable[DeadlineItem],
    on: date,
    calendar: WorkdayCalendar,
    lead_workdays: int,
    already: set[Mark],
) -> Plan:
    """Group what is to be reminded today into one message per (place, role); `already` holds the marks of
    earlier runs, which are not reminded again."""
    messages: dict[tuple[str, str], Message] = {}
    marks: list[Mark] = []

    def add(code: str, role: str, line: Line) -> None:
        messages.setdefault((code, role), Message(code, role)).lines.append(line)

    for item in items:
        stage = stage_of(item, on, calendar, lead_workdays)
        if stage is None:
            continue
        mark = (item.kind, item.region_code, item.nominal_deadline, stage)
        if mark in already:
            continue
        marks.append(mark)
        add(item.region_code, item.level, Line(item, stage, escalated=False))
        above = LEVEL_ABOVE[item.level]
        if stage == MISSED and above is not None:
            add(parent_code(item.region_code, item.level), above, Line(item, stage, escalated=True))
    ordered = [messages[key] for key in sorted(messages)]
    for message in ordered:
        message.lines.sort(
            key=lambda line: (line.escalated, line.stage != MISSED, line.item.kind, line.item.region_code)
        )
    return Plan(ordered, marks)


def counts_by_place(messages: Iterable[Message]) -> dict[str, dict[str, int]]:
    """Per recipient place: lines per stage (for logs and tests)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for message in messages:
        for line in message.lines:
            key = "escalated" if line.escalated else line.stage
            counts[message.region_code][key] = counts[message.region_code].get(key, 0) + 1
    return dict(counts)
