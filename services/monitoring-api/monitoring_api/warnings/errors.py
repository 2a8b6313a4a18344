"""Errors of the warnings and key-group domain."""

from dixian_shared.errors import Conflict, RuleViolation


class NoIncomeLine(RuleViolation):
    slug = "no-income-line"
    title_zh = "未设置该年度监测范围"
    template_zh = (
        "收入预警需要 {years} 年的监测范围标准，尚未设置："
        "请设置 rules.income_lines[{year}]（MONITORING_RULES__INCOME_LINES）"
    )
    title = "No monitoring threshold for the year"
    template = (
        "the income line needs the monitoring threshold of {years}, which is not configured: "
        "set rules.income_lines[{year}] (MONITORING_RULES__INCOME_LINES)"
    )


class GroupDerivedFromData(RuleViolation):
    slug = "key-group-derived-from-data"
    title_zh = "该类人群由数据判定"
    template_zh = "是否属于{group}由农户库数据判定（{basis}），不能手工标记"
    template = "{group} membership is decided by the registry data ({basis}); it cannot be marked by hand"


class GroupAlreadyMarked(Conflict):
    slug = "key-group-already-marked"
    title_zh = "已标记"
    template_zh = "农户 {household_id} 已标记为{group}（标记 {mark_id}）"
    title = "Already marked"
    template = "household {household_id} is already marked as {group} (mark {mark_id})"


class MarkAlreadyEnded(Conflict):
    slug = "key-group-mark-ended"
    title_zh = "标记已结束"
    template_zh = "人群标记 {mark_id} 已经结束"
    title = "Mark already ended"
    template = "group mark {mark_id} was already ended"
