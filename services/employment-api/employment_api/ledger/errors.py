"""Errors of the employment ledger; each names the rule it enforces."""

from typing import Any, ClassVar

from dixian_shared.errors import Conflict, FieldError, RuleViolation


class LedgerRule(RuleViolation):
    rule_name: ClassVar[str] = ""

    def __init__(self, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(rule=self.rule_name, **kwargs)
        if field is not None:
            self.errors = [FieldError(field=field, message=self.detail)]


class MonthLocked(LedgerRule):
    slug, rule_name = "ledger-month-locked", "ledger-locked-after-deadline"
    title, title_zh = "The month is locked", "台账月份已锁定"
    template = "the {month} ledger was due on {deadline} ({step}); a change now needs a reason (late_reason)"
    template_zh = (
        "{month} 台账的{step}截止日为 {deadline}，已过期锁定；现在修改须填写原因（late_reason），并记为逾期修改"
    )


class MonthSubmitted(LedgerRule):
    slug, rule_name = "ledger-month-submitted", "village-edits-before-submission"
    title, title_zh = "The village has submitted this month", "本村该月台账已提交"
    template = "village {region_code} submitted its {month} ledger; the town corrects it now"
    template_zh = "{region_code} 已提交 {month} 台账，提交后由镇修改"


class MonthConfirmed(LedgerRule):
    slug, rule_name = "ledger-month-confirmed", "confirmed-month-needs-reason"
    title, title_zh = "The town has confirmed this month", "该月台账已由镇确认"
    template = "the {month} ledger of {region_code} is confirmed; a change needs a reason (late_reason)"
    template_zh = "{region_code} {month} 台账已确认，修改须填写原因（late_reason）"


class MonthNotBegun(LedgerRule):
    slug, rule_name = "ledger-month-not-begun", "ledger-kept-during-its-month"
    title, title_zh = "The month has not begun", "该月尚未开始"
    template = "the {month} ledger cannot be {step} before its month begins (today is {today})"
    template_zh = "{month} 尚未开始（今天是 {today}），台账不能提前{step_zh}"


class JobFieldsForStatus(LedgerRule):
    slug, rule_name = "ledger-job-fields", "job-fields-follow-status"
    title, title_zh = "Job details do not fit the status", "就业信息与就业状态不符"
    template = "{reason}"
    template_zh = "{reason_zh}"


class NotOnRoster(LedgerRule):
    slug, rule_name = "labourer-not-on-roster", "ledger-for-roster-labourers"
    title, title_zh = "Not on the labour roster that month", "该月不在劳动力名册中"
    template = "labourer {labourer_id} is not on the roster in {month} (capacity, working age, alive, in the registry)"
    template_zh = "劳动力 {labourer_id} 在 {month} 不在名册内（劳动能力、劳动年龄、健在、在册）"


class LedgerIncomplete(LedgerRule):
    slug, rule_name = "ledger-incomplete", "village-submits-complete-month"
    title, title_zh = "The month is not complete", "台账尚未填报完整"
    template = "{missing} labourers of {region_code} have no {month} entry yet"
    template_zh = "{region_code} 还有 {missing} 名劳动力没有 {month} 的台账记录"


class NotSubmitted(LedgerRule):
    slug, rule_name = "ledger-not-submitted", "town-confirms-submitted-month"
    title, title_zh = "The village has not submitted", "村尚未提交"
    template = "village {region_code} has not submitted its {month} ledger"
    template_zh = "{region_code} 尚未提交 {month} 台账"


class NotAVillage(LedgerRule):
    slug, rule_name = "ledger-per-village", "ledger-kept-per-village"
    title, title_zh = "Not a village", "不是村级区划"
    template = "{region_code} is not a village of this district"
    template_zh = "{region_code} 不是本区的村（居）"


class AlreadyDone(Conflict):
    slug = "ledger-step-done"
    title, title_zh = "Already done", "已办理"
    template = "the {month} ledger of {region_code} is already {state}"
    template_zh = "{region_code} {month} 台账已{state}"


class EntryExists(Conflict):
    slug = "ledger-entry-exists"
    title, title_zh = "Entry exists", "台账记录已存在"
    template = "labourer {labourer_id} already has entry {entry_id} for {month}; change it with PATCH"
    template_zh = "劳动力 {labourer_id} 已有 {month} 台账记录 {entry_id}，请用 PATCH 修改"
