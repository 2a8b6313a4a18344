"""Refusals of the project library; each names the rule it enforces."""

from typing import Any

from dixian_shared.errors import Forbidden
from funds_api.errors import FundsConflict, FundsRule


class StepRoleForbidden(Forbidden):
    slug = "project-step-role"
    title = "This step belongs to another role"
    template = "{step} is taken by a {allowed} user, not by the {role} role (rule {rule})"
    title_zh = "该环节由其他角色办理"
    template_zh = "{step}由{allowed}级用户办理，{role}角色不能办理（规则 {rule}）"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="project-step-by-its-role", **kwargs)


class StepOutOfOrder(FundsConflict):
    slug, rule_name = "project-steps-in-order", "project-steps-in-order"
    title = "Step out of order"
    template = "project {project_id} is {status}; {step} is not its next step"
    title_zh = "办理环节顺序不符"
    template_zh = "项目 {project_id} 当前状态为{status}，不能办理{step}"


class LibraryNotOpen(FundsRule):
    slug, rule_name = "project-library-open", "project-library-open"
    title = "The project library of that year is not open"
    template = "the {year} library takes declarations from {opens_on} to {closes_on}; today is {today}"
    title_zh = "该年度项目库未开放申报"
    template_zh = "{year} 年度项目库的申报时间为 {opens_on} 至 {closes_on}，今天是 {today}"


class NotAVillage(FundsRule):
    slug, rule_name = "project-in-a-village", "project-in-a-village"
    title = "A project is declared for a village"
    template = "{region_code} is not a village of this district"
    title_zh = "项目须落在本区的村（社区）"
    template_zh = "{region_code} 不是本区的村（社区）"


class FundingPlanOverBudget(FundsRule):
    slug, rule_name = "funding-plan-within-budget", "funding-plan-within-budget"
    title = "Planned funding exceeds the budget"
    template = "the funding plan adds up to {planned}, more than the budget {budget}"
    title_zh = "资金计划超过项目预算"
    template_zh = "资金计划合计 {planned}，超过项目预算 {budget}"


class NoticeDates(FundsRule):
    slug, rule_name = "project-notice-dates", "project-notice-dates"
    title = "The public notice dates are not valid"
    template = "an agreeing town review posts a public notice from {earliest} on that ends on or after it starts"
    title_zh = "公示日期不符合要求"
    template_zh = "乡镇审核同意时须公示：公示开始不早于 {earliest}，结束不早于开始"


class NoticeNotOver(FundsRule):
    slug, rule_name = "district-after-notice", "district-after-notice"
    title = "The public notice has not ended"
    template = "the notice runs until {notice_end}; the district decides after it, not on {taken_on}"
    title_zh = "公示期未满"
    template_zh = "公示至 {notice_end} 结束，区级须在公示期满后审定，不能在 {taken_on} 审定"


class ReasonRequired(FundsRule):
    slug, rule_name = "refusal-needs-reason", "refusal-needs-reason"
    title = "A refusal carries its reason"
    template = "{step}: a refusal or a return needs its reason"
    title_zh = "退回或不予通过须说明理由"
    template_zh = "{step}：退回或不予通过须填写理由"


class StepDate(FundsRule):
    slug, rule_name = "project-step-dates", "project-step-dates"
    title = "Date out of range"
    template = "{what} {value} must lie between {earliest} and today {today}"
    title_zh = "日期超出范围"
    template_zh = "{what} {value} 须在 {earliest} 与今天 {today} 之间"


class NotApproved(FundsRule):
    slug, rule_name = "project-approved", "project-approved"
    title = "The project is not in the library"
    template = "project {project_id} is {status}; only an approved (已入库) project may {action}"
    title_zh = "项目未入库"
    template_zh = "项目 {project_id} 当前状态为{status}，只有已入库项目才能{action}"


class AlreadyCompleted(FundsConflict):
    slug, rule_name = "project-completed-once", "project-completed-once"
    title = "The project is already completed"
    template = "project {project_id} was completed on {completed_on}"
    title_zh = "项目已完工"
    template_zh = "项目 {project_id} 已于 {completed_on} 完工"


class NoNotice(FundsRule):
    slug, rule_name = "project-notice-posted", "project-notice-posted"
    title = "No public notice yet"
    template = "project {project_id} has no public notice: the town has not agreed to it"
    title_zh = "项目尚未公示"
    template_zh = "项目 {project_id} 尚无公示：乡镇尚未审核同意"


class ChangeChangesNothing(FundsRule):
    slug, rule_name = "change-changes-something", "change-changes-something"
    title = "The change changes nothing"
    template = "project {project_id} already has the values asked for"
    title_zh = "变更内容与现状相同"
    template_zh = "项目 {project_id} 的现有内容与申请变更后的内容相同"


class ChangePending(FundsConflict):
    slug, rule_name = "one-pending-change", "one-pending-change"
    title = "A change is already awaiting approval"
    template = "project {project_id} has change {change_id} awaiting approval; decide it first"
    title_zh = "已有待审批的变更"
    template_zh = "项目 {project_id} 已有待审批的变更 {change_id}，请先审批"


class ChangeDecided(FundsConflict):
    slug, rule_name = "change-decided-once", "change-decided-once"
    title = "The change was already decided"
    template = "change {change_id} is {status}"
    title_zh = "变更已审批"
    template_zh = "变更 {change_id} 已{status}"


class ProjectMoved(FundsConflict):
    slug, rule_name = "change-on-current-project", "change-on-current-project"
    title = "The project changed after the request"
    template = "change {change_id} was asked of version {asked} of project {project_id}, which is now at {current}"
    title_zh = "申请后项目已有变化"
    template_zh = "变更 {change_id} 基于项目 {project_id} 的第 {asked} 版提出，项目现为第 {current} 版，请重新申请"


class BudgetBelowAllocated(FundsRule):
    slug, rule_name = "budget-covers-allocations", "budget-covers-allocations"
    title = "The budget would fall below what is allocated"
    template = "project {project_id} has {allocated} allocated; a budget of {budget} is less"
    title_zh = "预算不能低于已分配资金"
    template_zh = "项目 {project_id} 已分配资金 {allocated}，变更后的预算 {budget} 低于该金额"


class SettlementBeforeCompletion(FundsRule):
    slug, rule_name = "settlement-after-completion", "settlement-after-completion"
    title = "Settlement review comes after completion"
    template = "project {project_id} is not completed; a settlement review (结算评审) follows completion"
    title_zh = "项目未完工，不能结算评审"
    template_zh = "项目 {project_id} 尚未完工，结算评审须在完工后进行"
