"""The clue-to-decision rule (不迟不漏, clue_to_decision_max_days): its one definition, in Python and in SQL.

A case is decided by clue date + N days; an open case is late from the day after, a decided one was late when its
decision fell after that day. The late list, the overview, the deadline report and each case's decision_due_on read
these and nothing else, so the threshold lives in rules.py alone.
"""

from datetime import date, timedelta

from sqlalchemy import ColumnElement, Date, and_, cast

from monitoring_api.inclusion.enums import CaseStatus
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.rules import RuleSettings


def decision_due(clue_date: date, rules: RuleSettings) -> date:
    return clue_date + timedelta(days=rules.clue_to_decision_max_days)


def decision_due_sql(rules: RuleSettings) -> ColumnElement[date]:
    """decision_due in SQL (date + integer is a date in PostgreSQL)."""
    return cast(InclusionCase.clue_date + rules.clue_to_decision_max_days, Date)


def open_and_late(today: date, rules: RuleSettings) -> ColumnElement[bool]:
    """An open case whose decision was due before `today` (lists, overview, reminders)."""
    return and_(InclusionCase.status == CaseStatus.open, decision_due_sql(rules) < today)


def decided_late(rules: RuleSettings) -> ColumnElement[bool]:
    """A decided case whose decision came after its due day."""
    return and_(InclusionCase.status != CaseStatus.open, InclusionCase.decided_on > decision_due_sql(rules))
