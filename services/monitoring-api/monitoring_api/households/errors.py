"""Errors of the household registry."""

from typing import Any, ClassVar

from dixian_shared.errors import Conflict, FieldError, RuleViolation


class IdNumberTaken(Conflict):
    slug = "id-number-taken"
    title = "Person already in the registry"
    template = "ID number {id_number} already belongs to member {member_id} of household {household_id} ({region_code})"


class IdNumberTakenElsewhere(IdNumberTaken):
    """The same conflict seen from outside the region that holds the person: only the village is named."""

    template = (
        "ID number {id_number} is already registered in village {region_code}; that village must move or close it"
    )


class DuplicateIdInRequest(RuleViolation):
    slug = "duplicate-id-number"
    template = "ID number {id_number} appears twice in this request"


class NotAVillage(RuleViolation):
    slug = "not-a-village"
    template = "households belong to a village; {region_code} is not a village of this district"


class RegistryRule(RuleViolation):
    """A lifecycle rule of the registry; `rule_name` is reported as the problem's `rule`."""

    rule_name: ClassVar[str] = ""

    def __init__(self, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(rule=self.rule_name, **kwargs)
        if field is not None:
            self.errors = [FieldError(field=field, message=self.detail)]


class DateInFuture(RegistryRule):
    slug, rule_name = "date-in-future", "date-not-in-future"
    template = "{what} {value} is after today ({today})"


class DateBeforeBirth(RegistryRule):
    slug, rule_name = "date-before-birth", "date-not-before-birth"
    template = "{what} {value} is before member {member_id} was born ({birth_date})"


class HouseholdDissolved(RegistryRule):
    slug, rule_name = "household-dissolved", "no-change-to-dissolved-household"
    template = "household {household_id} is dissolved (注销) and takes no members or moves"


class SameHousehold(RegistryRule):
    slug, rule_name = "same-household", "move-to-another-household"
    template = "member {member_id} already belongs to household {household_id}"


class SameVillage(RegistryRule):
    slug, rule_name = "same-village", "move-to-another-village"
    template = "household {household_id} is already in {region_code}"


class OneHeadPerHousehold(RegistryRule):
    slug, rule_name = "one-head-per-household", "one-head-per-household"
    template = "{reason}"


class MemberNotActive(RegistryRule):
    slug, rule_name = "member-not-active", "only-active-members-change"
    template = "member {member_id} is recorded as {status} and can no longer change"


class CategoryByWorkflow(RegistryRule):
    slug, rule_name = "category-by-workflow", "category-by-workflow"
    template = (
        "the category of household {household_id} is not changed by PATCH: a household becomes a monitoring subject "
        "through an inclusion case (识别纳入, POST /inclusion-cases) and stops being one through a risk elimination "
        "(风险消除, POST /households/{household_id}/eliminations); the district corrects a wrongly recorded category "
        "with POST /households/{household_id}/category-corrections"
    )


class CorrectionNeedsReason(RegistryRule):
    slug, rule_name = "correction-needs-reason", "correction-needs-reason"
    template = "a category correction carries the reason the recorded category was wrong"


class CorrectionChangesNothing(RegistryRule):
    slug, rule_name = "correction-changes-category", "correction-changes-category"
    template = "household {household_id} is already {category}"


class SubjectNeedsInclusionDate(RegistryRule):
    slug, rule_name = "subject-has-inclusion-date", "subject-has-inclusion-date"
    template = "{category} is a monitoring subject: give the date it was included (included_on)"
