"""Errors of monthly assessment."""

from dixian_shared.errors import Conflict, Forbidden, RuleViolation


class AssessmentExists(Conflict):
    slug = "assessment-exists"
    title_zh = "本月已研判"
    template_zh = "农户 {household_id} 在 {month} 已有研判记录 {assessment_id}；如需修改，请带上 If-Match 重新提交"
    title = "Household already assessed this month"
    template = (
        "household {household_id} already has assessment {assessment_id} for {month}; "
        "send it again with If-Match to update it"
    )


class ReviewExists(Conflict):
    slug = "review-exists"
    title_zh = "已经乡镇审核"
    template_zh = "研判记录 {assessment_id} 已于 {reviewed_on} 经乡镇审核"
    title = "Already reviewed"
    template = "assessment {assessment_id} was already reviewed by the town on {reviewed_on}"


class ReasonsRequired(RuleViolation):
    slug = "reasons-required"
    title_zh = "须填写研判理由"
    template_zh = "研判结果为{outcome}时须填写理由（规则 {rule}）"
    template = "an assessment with outcome {outcome} needs its reasons (rule {rule})"


class RiskCauseRule(RuleViolation):
    slug = "risk-causes"
    title_zh = "致贫返贫风险填写有误"


class RiskCauseTwice(RiskCauseRule):
    template = "a risk cause is listed twice (rule {rule})"
    template_zh = "同一项致贫返贫风险填写了两次（规则 {rule}）"


class CausesWithoutRisk(RiskCauseRule):
    template = "an assessment of 无风险 lists no risk cause (rule {rule})"
    template_zh = "研判结果为无风险时不填写致贫返贫风险（规则 {rule}）"


class MonthInFuture(RuleViolation):
    slug = "month-in-future"
    title_zh = "研判月份未到"
    template_zh = "{month} 尚未开始，研判只能在当月或之后进行（规则 {rule}）"
    template = "{month} has not begun yet; a household is assessed in or after its month (rule {rule})"


class BadAssessedOn(RuleViolation):
    slug = "assessed-on"
    title_zh = "研判日期有误"
    template_zh = "研判日期 {assessed_on} 应在 {month} 第一天至今天（{today}）之间（规则 {rule}）"
    template = "assessed_on {assessed_on} must lie between the first day of {month} and today {today} (rule {rule})"


class NotReviewable(RuleViolation):
    slug = "not-reviewable"
    title_zh = "无需乡镇审核"
    template_zh = "只有暂不纳入的研判结果需要乡镇审核；研判记录 {assessment_id} 的结果是{outcome}（规则 {rule}）"
    template = "only a 暂不纳入 decision goes to town review; assessment {assessment_id} is {outcome} (rule {rule})"


class ReviewOutcome(RuleViolation):
    slug = "review-outcome"
    title_zh = "审核结论有误"


class AgreeKeepsNotNow(ReviewOutcome):
    template = "agreeing keeps 暂不纳入; send no other outcome (rule {rule})"
    template_zh = "同意即维持暂不纳入，不再填写其他研判结果（规则 {rule}）"


class DisagreeNamesOutcome(ReviewOutcome):
    template = "disagreeing names the decision instead: outcome 纳入监测 or 持续关注 (rule {rule})"
    template_zh = "不同意时须给出改判结果：纳入监测或持续关注（规则 {rule}）"


class AssessmentLocked(RuleViolation):
    slug = "assessment-locked"
    title_zh = "研判记录不能再修改"
    template_zh = "研判记录 {assessment_id} 不能再修改：{why}（规则 {rule}）"
    template = "assessment {assessment_id} can no longer change: {why} (rule {rule})"


class BadReviewDate(RuleViolation):
    slug = "reviewed-on"
    title_zh = "审核日期有误"
    template_zh = "审核日期 {reviewed_on} 应在研判日期 {assessed_on} 至今天（{today}）之间（规则 {rule}）"
    template = "reviewed_on {reviewed_on} must lie between assessed_on {assessed_on} and today {today} (rule {rule})"


class RoleMayNot(Forbidden):
    slug = "role-may-not"
    title_zh = "无权办理"
    template_zh = "{role}不能{action}，此操作由{allowed}办理（规则 {rule}）"
    template = "the {role} role may not {action}; it is for {allowed} users (rule {rule})"
