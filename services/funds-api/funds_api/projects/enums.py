"""The project library's vocabulary (Chinese terms): types, workflow states and steps, changes and reviews."""

from enum import StrEnum

from dixian_shared.auth.principal import Role


class ProjectType(StrEnum):
    industry = "产业"
    employment = "就业"
    infrastructure = "基础设施"
    rural_construction = "乡村建设"
    public_service = "公共服务"
    other = "其他"


class ProjectStatus(StrEnum):
    """Where a project stands in 村申报 → 乡审核 → 区审定."""

    awaiting_town = "待乡审核"
    awaiting_district = "待区审定"
    approved = "已入库"
    returned = "乡镇退回"
    refused = "区级未通过"


PENDING = frozenset({ProjectStatus.awaiting_town, ProjectStatus.awaiting_district})
DECIDED = frozenset({ProjectStatus.approved, ProjectStatus.returned, ProjectStatus.refused})


class Step(StrEnum):
    declare = "村申报"
    town_review = "乡审核"
    district_approval = "区审定"
    change = "项目变更"
    completion = "项目完工"


# Each step of the workflow is taken by one role only.
STEP_ROLE: dict[Step, Role] = {
    Step.declare: Role.village,
    Step.town_review: Role.town,
    Step.district_approval: Role.district,
}

# The status a project must be in for a step to be taken.
STEP_FROM: dict[Step, ProjectStatus] = {
    Step.town_review: ProjectStatus.awaiting_town,
    Step.district_approval: ProjectStatus.awaiting_district,
}


class Progress(StrEnum):
    """Implementation of an approved project."""

    not_started = "未开工"
    in_progress = "在建"
    completed = "已完工"


class TargetKind(StrEnum):
    output = "产出指标"
    benefit = "效益指标"
    satisfaction = "满意度指标"


class ChangeStatus(StrEnum):
    pending = "待审批"
    approved = "已批准"
    refused = "未批准"


class ReviewKind(StrEnum):
    budget = "预算评审"
    settlement = "结算评审"
