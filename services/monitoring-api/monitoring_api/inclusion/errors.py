"""Errors of identification and inclusion."""

from dixian_shared.errors import Conflict, Forbidden, NotFound, RuleViolation


class CaseInProgress(Conflict):
    slug = "inclusion-case-in-progress"
    title_zh = "已有办理中的识别纳入"
    template_zh = "农户 {household_id} 已有办理中的识别纳入 {case_id}"
    title = "A case is already in progress"
    template = "household {household_id} already has inclusion case {case_id} in progress"


class AlreadySubject(RuleViolation):
    slug = "already-monitoring-subject"
    title_zh = "已是监测对象"
    template_zh = "农户 {household_id} 已是监测对象（{category}）（规则 {rule}）"
    template = "household {household_id} is already a monitoring subject ({category}) (rule {rule})"


class StepOutOfOrder(RuleViolation):
    slug = "steps-in-order"
    title_zh = "环节顺序不对"
    template_zh = "识别纳入 {case_id} 处于{stage}，下一环节是{expected}，不是{step}（规则 {rule}）"
    template = "case {case_id} is at {stage}: the next step is {expected}, not {step} (rule {rule})"


class CaseDecided(RuleViolation):
    slug = "case-decided"
    title_zh = "已作出决定"
    template_zh = "识别纳入 {case_id} 已于 {decided_on} 决定（{status}），不能再办理其他环节（规则 {rule}）"
    template = "case {case_id} was decided ({status}) on {decided_on}; no step can follow (rule {rule})"


class StepRoleForbidden(Forbidden):
    slug = "step-role"
    title_zh = "无权办理此环节"
    template_zh = "{step}由{allowed}办理，{role}不能办理（规则 {rule}）"
    template = "{step} is taken by a {allowed} user, not by the {role} role (rule {rule})"


class OpenRoleForbidden(Forbidden):
    slug = "open-role"
    title_zh = "无权登记线索"
    template_zh = "{role}不能登记识别纳入线索（规则 {rule}）"
    template = "the {role} role may not open an inclusion case (rule {rule})"


class AuthorisationMissing(RuleViolation):
    slug = "signed-authorisation"
    title_zh = "缺少授权承诺书"
    template_zh = "入户核实须有农户签字的授权承诺书及签字日期（规则 {rule}）"
    template = "home verification needs the household's signed authorisation and its date (rule {rule})"


class StepDate(RuleViolation):
    slug = "step-dates"
    title_zh = "环节日期有误"
    template_zh = "{what} {value} 应在 {earliest} 至今天（{today}）之间（规则 {rule}）"
    template = "{what} {value} must lie between {earliest} and today {today} (rule {rule})"


class NoticeDates(RuleViolation):
    slug = "notice-dates"
    title_zh = "公示日期有误"


class NoticeBeforeVerification(NoticeDates):
    template = "the notice starts {notice_start}, before the verification on {verified_on} (rule {rule})"
    template_zh = "公示开始日期 {notice_start} 早于入户核实日期 {verified_on}（规则 {rule}）"


class NoticeEndsBeforeStart(NoticeDates):
    template = "the notice ends {notice_end}, before it starts {notice_start} (rule {rule})"
    template_zh = "公示结束日期 {notice_end} 早于开始日期 {notice_start}（规则 {rule}）"


class NoticeTooShort(RuleViolation):
    slug = "notice-min-days"
    title_zh = "公示时间不足"
    template_zh = "公示从 {start} 到 {end} 共 {days} 天（含首尾），至少需要 {min_days} 天（规则 {rule}）"
    template = (
        "the notice from {start} to {end} lasts {days} days counting both ends; "
        "at least {min_days} are required (rule {rule})"
    )


class NoticeNotOver(RuleViolation):
    slug = "notice-not-over"
    title_zh = "公示未结束"
    template_zh = "乡镇审核须在公示结束后进行：公示至 {notice_end}，审核日期为 {taken_on}（规则 {rule}）"
    template = (
        "the town reviews after the notice: it runs until {notice_end}, the review is dated {taken_on} (rule {rule})"
    )


class RefusalNeedsReason(RuleViolation):
    slug = "refusal-needs-reason"
    title_zh = "须说明不予纳入的理由"
    template_zh = "不予纳入须说明理由（规则 {rule}）"
    template = "a refusal (不予纳入) carries its reason (rule {rule})"


class SubjectKindRequired(RuleViolation):
    slug = "subject-kind-required"
    title_zh = "须指明监测对象类型"
    template_zh = "请指明农户纳入后的监测对象类型（subject_kind）（规则 {rule}）"
    template = "name the kind of monitoring subject (subject_kind) the household becomes (rule {rule})"


class NoticeNotRecorded(RuleViolation):
    slug = "notice-not-recorded"
    title_zh = "尚无公示"
    template_zh = "识别纳入 {case_id} 还没有民主评议/公示环节，没有可导出的公示（规则 {rule}）"
    template = "case {case_id} has no 民主评议/公示 step yet, so there is no notice to export (rule {rule})"


class HouseholdNotActive(RuleViolation):
    slug = "household-dissolved"
    title_zh = "农户已注销"
    template_zh = "农户 {household_id} 已注销，不再研判或纳入（规则 {rule}）"
    template = "household {household_id} is dissolved (注销); it is no longer assessed or included (rule {rule})"


class NothingOnNotice(NotFound):
    slug = "nothing-on-notice"
    template = "no public notice of village {region_code} is up on {on}"
    title_zh = "当日没有公示"
    template_zh = "{region_code} 在 {on} 没有正在公示的识别纳入"
