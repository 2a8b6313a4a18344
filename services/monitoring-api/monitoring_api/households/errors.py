"""Errors of the household registry."""

from dixian_shared.errors import Conflict, RuleViolation


class IdNumberTaken(Conflict):
    slug = "id-number-taken"
    title = "Person already in the registry"
    template = "ID number {id_number} already belongs to member {member_id} of household {household_id} ({region_code})"


class DuplicateIdInRequest(RuleViolation):
    slug = "duplicate-id-number"
    template = "ID number {id_number} appears twice in this request"


class NotAVillage(RuleViolation):
    slug = "not-a-village"
    template = "households belong to a village; {region_code} is not a village of this district"


class MemberNotActive(RuleViolation):
    slug = "member-not-active"
    template = "member {member_id} is recorded as {status} and can no longer change"
