"""Errors of measures and look-backs; each refusal names the rule it enforces."""

from typing import Any, ClassVar

from dixian_shared.errors import Conflict, RuleViolation


class NamedRule(RuleViolation):
    """A RuleViolation whose rule name is fixed by the class, so callers only pass the template's values."""

    rule_name: ClassVar[str]

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, rule=self.rule_name, **kwargs)


class SubTypeNotInCategory(NamedRule):
    slug, rule_name = "measure-sub-type", "measure-sub-type"
    title_zh = "帮扶措施子类不属于该类别"
    template_zh = "{sub_type} 不是{category}的子类，可选：{allowed}"
    template = "sub-type {sub_type} is not a sub-type of {category}; allowed: {allowed}"


class MeasurePeriod(NamedRule):
    slug, rule_name = "measure-period", "measure-period"
    title_zh = "措施起止日期有误"
    template_zh = "措施的结束日期（{end_on}）不能早于开始日期（{start_on}）"
    template = "a measure cannot end ({end_on}) before it starts ({start_on})"


class StatusTransition(NamedRule):
    slug, rule_name = "measure-status-transition", "measure-status-transition"
    title_zh = "措施状态不能这样变更"
    template_zh = "{current}的措施不能改为{wanted}"
    template = "a measure that is {current} cannot become {wanted}"


class ResultsRequired(NamedRule):
    slug, rule_name = "measure-results-required", "measure-results-required"
    title_zh = "须填写帮扶成效"
    template_zh = "标为已完成的措施须填写帮扶成效（results）"
    template = "a measure marked 已完成 must say what it achieved (results)"


class HouseholdNotActive(NamedRule):
    slug, rule_name = "household-active", "household-active"
    title_zh = "农户不在册"
    template_zh = "农户 {household_id} 为{status}，不能再添加措施或回头看"
    template = "household {household_id} is {status}; it takes no new measures or look-backs"


class NotInFuture(NamedRule):
    slug, rule_name = "date-not-in-future", "date-not-in-future"
    title_zh = "日期晚于今天"
    template_zh = "{field} {value} 晚于今天（{today}）"
    template = "{field} {value} is after today ({today})"


class DueNotInPast(NamedRule):
    slug, rule_name = "lookback-due-not-past", "lookback-due-not-past"
    title_zh = "回头看日期已过"
    template_zh = "回头看应安排在今天或以后，不能是 {due_on}（今天是 {today}）"
    template = "a look-back is scheduled for today or later, not {due_on} (today is {today})"


class LookbackAlreadyRecorded(Conflict):
    slug = "lookback-already-recorded"
    title_zh = "回头看已登记"
    template_zh = "回头看 {lookback_id} 已于 {done_on} 登记"
    template = "look-back {lookback_id} was already recorded on {done_on}"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="lookback-recorded-once", **kwargs)
