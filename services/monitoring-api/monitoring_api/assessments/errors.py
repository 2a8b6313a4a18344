"""Errors of monthly assessment."""

from dixian_shared.errors import Conflict, Forbidden, RuleViolation


class AssessmentExists(Conflict):
    slug = "assessment-exists"
    title = "Household already assessed this month"
    template = (
        "household {household_id} already has assessment {assessment_id} for {month}; "
        "send it again with If-Match to update it"
    )


class ReviewExists(Conflict):
    slug = "review-exists"
    title = "Already reviewed"
    template = "assessment {assessment_id} was already reviewed by the town on {reviewed_on}"


class ReasonsRequired(RuleViolation):
    slug = "reasons-required"
    template = "an assessment with outcome {outcome} needs its reasons (rule {rule})"


class RiskCauseRule(RuleViolation):
    slug = "risk-causes"
    template = "{message} (rule {rule})"


class MonthInFuture(RuleViolation):
    slug = "month-in-future"
    template = "{month} has not begun yet; a household is assessed in or after its month (rule {rule})"


class BadAssessedOn(RuleViolation):
    slug = "assessed-on"
    template = "assessed_on {assessed_on} must lie between the first day of {month} and today {today} (rule {rule})"


class NotReviewable(RuleViolation):
    slug = "not-reviewable"
    template = "only a 暂不纳入 decision goes to town review; assessment {assessment_id} is {outcome} (rule {rule})"


class ReviewOutcome(RuleViolation):
    slug = "review-outcome"
    template = "{message} (rule {rule})"


class AssessmentLocked(RuleViolation):
    slug = "assessment-locked"
    template = "assessment {assessment_id} can no longer change: {why} (rule {rule})"


class BadReviewDate(RuleViolation):
    slug = "reviewed-on"
    template = "reviewed_on {reviewed_on} must lie between assessed_on {assessed_on} and today {today} (rule {rule})"


class RoleMayNot(Forbidden):
    slug = "role-may-not"
    template = "the {role} role may not {action}; it is for {allowed} users (rule {rule})"
