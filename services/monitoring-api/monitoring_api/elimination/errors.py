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
    template = "risk elimination refused; failed preconditions: {names}"

    def __init__(self, failures: Sequence[Failure]) -> None:
        names = ", ".join(f.name.value for f in failures)
        super().__init__(rule="elimination-preconditions", names=names, errors=_listed(failures))


class HouseholdWithoutLabour(RuleViolation):
    """整户无劳动能力 is refused under its own rule: no later data can make such a household eligible."""

    slug = "whole-household-no-labour"
    template = "no member of household {household_id} can work: it stays under protective measures; failed: {names}"

    def __init__(self, household_id: int, failures: Sequence[Failure]) -> None:
        names = ", ".join(f.name.value for f in failures)
        super().__init__(
            rule="whole-household-no-labour", household_id=household_id, names=names, errors=_listed(failures)
        )


class NotASubject(NamedRule):
    slug, rule_name = "monitoring-subject", "monitoring-subject"
    template = "household {household_id} is {category}, not a monitoring subject: there is no risk to eliminate"


class AlreadyEliminated(NamedRule):
    slug, rule_name = "monitoring-subject", "monitoring-subject"
    template = "household {household_id} was marked 风险消除 on {on} (elimination {elimination_id}): no risk is open"
    title_zh = "已标注风险消除"
    template_zh = "农户 {household_id} 已于 {on} 标注风险消除（风险消除 {elimination_id}），没有待消除的风险"


class EliminationInProgress(Conflict):
    slug = "elimination-in-progress"
    template = "household {household_id} already has elimination {elimination_id} in progress ({status})"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="one-open-elimination", **kwargs)


class StepOutOfOrder(Conflict):
    slug = "elimination-step-order"
    template = "elimination {elimination_id} is {status}; {step} cannot be recorded now"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="elimination-step-order", **kwargs)


class StepDate(NamedRule):
    slug, rule_name = "elimination-step-dates", "elimination-step-dates"
    template = "{field} {value} must not be before {earliest} nor after today ({today})"


class NoticeTooShort(NamedRule):
    slug, rule_name = "notice-min-days", "notice-min-days"
    template = "the notice ran {days} day(s) ({notice_from} to {notice_to}, both included); at least {minimum} needed"


class ReasonRequired(NamedRule):
    slug, rule_name = "refusal-reason", "refusal-reason"
    template = "a step that does not pass carries a reason (note)"


class StepRoleForbidden(Forbidden):
    slug = "elimination-step-role"
    template = "{step} is taken by a {allowed} user, not by the {role} role (rule {rule})"
    title_zh = "无权办理此环节"
    template_zh = "{step}由{allowed}用户办理，{role}角色不能办理（规则 {rule}）"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="step-by-its-role", **kwargs)
