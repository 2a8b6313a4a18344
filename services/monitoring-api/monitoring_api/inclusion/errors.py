"""Errors of identification and inclusion."""

from dixian_shared.errors import Conflict, Forbidden, RuleViolation


class CaseInProgress(Conflict):
    slug = "inclusion-case-in-progress"
    title = "A case is already in progress"
    template = "household {household_id} already has inclusion case {case_id} in progress"


class AlreadySubject(RuleViolation):
    slug = "already-monitoring-subject"
    template = "household {household_id} is already a monitoring subject ({category}) (rule {rule})"


class StepOutOfOrder(RuleViolation):
    slug = "steps-in-order"
    template = "case {case_id} is at {stage}: the next step is {expected}, not {step} (rule {rule})"


class CaseDecided(RuleViolation):
    slug = "case-decided"
    template = "case {case_id} was decided ({status}) on {decided_on}; no step can follow (rule {rule})"


class StepRoleForbidden(Forbidden):
    slug = "step-role"
    template = "{step} is taken by a {allowed} user, not by the {role} role (rule {rule})"


class OpenRoleForbidden(Forbidden):
    slug = "open-role"
    template = "the {role} role may not open an inclusion case (rule {rule})"


class AuthorisationMissing(RuleViolation):
    slug = "signed-authorisation"
    template = "home verification needs the household's signed authorisation and its date (rule {rule})"


class StepDate(RuleViolation):
    slug = "step-dates"
    template = "{what} {value} must lie between {earliest} and today {today} (rule {rule})"


class NoticeDates(RuleViolation):
    slug = "notice-dates"
    template = "{message} (rule {rule})"


class NoticeTooShort(RuleViolation):
    slug = "notice-min-days"
    template = (
        "the notice from {start} to {end} lasts {days} days counting both ends; "
        "at least {min_days} are required (rule {rule})"
    )


class NoticeNotOver(RuleViolation):
    slug = "notice-not-over"
    template = (
        "the town reviews after the notice: it runs until {notice_end}, the review is dated {taken_on} (rule {rule})"
    )


class RefusalNeedsReason(RuleViolation):
    slug = "refusal-needs-reason"
    template = "a refusal (不予纳入) carries its reason (rule {rule})"


class SubjectKindRequired(RuleViolation):
    slug = "subject-kind-required"
    template = "name the kind of monitoring subject (subject_kind) the household becomes (rule {rule})"


class NoticeNotRecorded(RuleViolation):
    slug = "notice-not-recorded"
    template = "case {case_id} has no 民主评议/公示 step yet, so there is no notice to export (rule {rule})"


class HouseholdNotActive(RuleViolation):
    slug = "household-dissolved"
    template = "household {household_id} is dissolved (注销); it is no longer assessed or included (rule {rule})"
