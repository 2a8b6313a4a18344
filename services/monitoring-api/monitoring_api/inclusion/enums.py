"""The vocabulary of an inclusion case (values are the Chinese terms of DOMAIN.md)."""

from enum import StrEnum

from dixian_shared.auth.principal import Role
from monitoring_api.households.enums import Category


class Channel(StrEnum):
    self_report = "农户自主申报"
    cadre_screening = "干部排查"
    department_warning = "部门筛查预警"


class SubjectKind(StrEnum):
    """The three kinds of monitoring subject; a case names the one the household becomes."""

    unstable = Category.unstable.value
    borderline = Category.borderline.value
    sudden_hardship = Category.sudden_hardship.value


class Step(StrEnum):
    clue = "线索登记"
    verification = "入户核实"
    notice = "民主评议/公示"
    town_review = "乡镇审核"
    district_approval = "区级审定"


class CaseStatus(StrEnum):
    open = "办理中"
    included = "已纳入"
    refused = "不予纳入"


class Decision(StrEnum):
    include = "纳入"
    refuse = "不予纳入"


# The order of the workflow: each step may only follow the one before it.
NEXT_STEP: dict[Step, Step] = {
    Step.clue: Step.verification,
    Step.verification: Step.notice,
    Step.notice: Step.town_review,
    Step.town_review: Step.district_approval,
}

# Who may take each step (the clue is opened by any writer in scope).
STEP_ROLE: dict[Step, Role] = {
    Step.verification: Role.village,
    Step.notice: Role.village,
    Step.town_review: Role.town,
    Step.district_approval: Role.district,
}
