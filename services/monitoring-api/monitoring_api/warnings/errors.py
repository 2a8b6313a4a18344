"""Errors of the warnings and key-group domain."""

from dixian_shared.errors import Conflict, RuleViolation


class NoIncomeLine(RuleViolation):
    slug = "no-income-line"
    title = "No monitoring threshold for the year"
    template = (
        "the income line needs the monitoring threshold of {years}, which is not configured: "
        "set rules.income_lines[{year}] (MONITORING_RULES__INCOME_LINES)"
    )


class GroupDerivedFromData(RuleViolation):
    slug = "key-group-derived-from-data"
    template = "{group} membership is decided by the registry data ({basis}); it cannot be marked by hand"


class GroupAlreadyMarked(Conflict):
    slug = "key-group-already-marked"
    title = "Already marked"
    template = "household {household_id} is already marked as {group} (mark {mark_id})"


class MarkAlreadyEnded(Conflict):
    slug = "key-group-mark-ended"
    title = "Mark already ended"
    template = "group mark {mark_id} was already ended"
