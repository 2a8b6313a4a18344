"""Errors of risk elimination; each refusal names its rule, and a failed opening lists every failed precondition."""

from collections.abc import Sequence
from typing import Any

from dixian_shared.errors import Conflict, FieldError, Forbidden, RuleViolation
from monitoring_api.elimination.preconditions import Failure
from monitoring_api.measures.errors import NamedRule


def _listed(failures: Sequence[Failure]) -> list[FieldError]:
    # `field` carries the precondition's rule name so a client can show each one beside its explanation.
    return [FieldError(field=f.name.value, message=f.message, type="precondition") for f in failures]


class PreconditionsFailed(RuleViolation):
    slug = "elimination-preconditions"
    title_zh = "不符合风险消除条件"
    template_zh = "不能标注风险消除，未满足的条件：{names}"
    template = "risk elimination refused; failed preconditions: {names}"

    def __init__(self, failures: Sequence[Failure]) -> None:
        names = ", ".join(f.name.value for f in failures)
        super().__init__(rule="elimination-preconditions", names=names, errors=_listed(failures))


class HouseholdWithoutLabour(RuleViolation):
    """整户无劳动能力 is refused under its own rule: no later data can make such a household eligible."""

    slug = "whole-household-no-labour"
    title_zh = "整户无劳动能力，不作风险消除"
    template_zh = "农户 {household_id} 整户无劳动能力，继续落实保障性措施，不作风险消除；未满足的条件：{names}"
    template = "no member of household {household_id} can work: it stays under protective measures; failed: {names}"

    def __init__(self, household_id: int, failures: Sequence[Failure]) -> None:
        names = ", ".join(f.name.value for f in failures)
        super().__init__(
            rule="whole-household-no-labour", household_id=household_id, names=names, errors=_listed(failures)
        )


class NotASubject(NamedRule):
    slug, rule_name = "monitoring-subject", "monitoring-subject"
    title_zh = "不是监测对象"
    template_zh = "农户 {household_id} 是{category}，不是监测对象，无风险可消除"
    template = "household {household_id} is {category}, not a monitoring subject: there is no risk to eliminate"


class AlreadyEliminated(NamedRule):
    slug, rule_name = "monitoring-subject", "monitoring-subject"
    template = "household {household_id} was marked 风险消除 on {on} (elimination {elimination_id}): no risk is open"
    title_zh = "已标注风险消除"
    template_zh = "农户 {household_id} 已于 {on} 标注风险消除（风险消除 {elimination_id}），没有待消除的风险"


class EliminationInProgress(Conflict):
    slug = "elimination-in-progress"
    title_zh = "已有办理中的风险消除"
    template_zh = "农户 {household_id} 已有办理中的风险消除 {elimination_id}（{status}）"
    template = "household {household_id} already has elimination {elimination_id} in progress ({status})"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="one-open-elimination", **kwargs)


class StepOutOfOrder(Conflict):
    slug = "elimination-step-order"
    title_zh = "环节顺序不对"
    template_zh = "风险消除 {elimination_id} 当前为{status}，现在不能办理{step}"
    template = "elimination {elimination_id} is {status}; {step} cannot be recorded now"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="elimination-step-order", **kwargs)


class StepDate(NamedRule):
    slug, rule_name = "elimination-step-dates", "elimination-step-dates"
    title_zh = "环节日期有误"
    template_zh = "{field} {value} 不能早于 {earliest}，也不能晚于今天（{today}）"
    template = "{field} {value} must not be before {earliest} nor after today ({today})"


class NoticeTooShort(NamedRule):
    slug, rule_name = "notice-min-days", "notice-min-days"
    title_zh = "公示时间不足"
    template_zh = "公示 {days} 天（{notice_from} 至 {notice_to}，含首尾），至少需要 {minimum} 天"
    template = "the notice ran {days} day(s) ({notice_from} to {notice_to}, both included); at least {minimum} needed"


class ReasonRequired(NamedRule):
    slug, rule_name = "refusal-reason", "refusal-reason"
    title_zh = "须说明理由"
    template_zh = "不通过的环节须在备注（note）中说明理由"
    template = "a step that does not pass carries a reason (note)"


class StepRoleForbidden(Forbidden):
    slug = "elimination-step-role"
    template = "{step} is taken by a {allowed} user, not by the {role} role (rule {rule})"
    title_zh = "无权办理此环节"
    template_zh = "{step}由{allowed}用户办理，{role}角色不能办理（规则 {rule}）"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="step-by-its-role", **kwargs)
