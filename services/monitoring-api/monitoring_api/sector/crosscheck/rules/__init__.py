"""The cross-check rules of DOMAIN.md's "Three guarantees and water" table, each one set-based SELECT.

Every rule yields rows of (subject_key, region_code, member_id, household_id, id_number, registry_data,
department_data) for one batch; subject_key is unique within a rule's result, so that the discrepancy upsert
can key on (data type, rule, subject_key). No rule loops over rows in Python.
"""

from monitoring_api.sector.crosscheck.rules.common import CheckContext, RuleQuery
from monitoring_api.sector.crosscheck.rules.households import (
    house_not_appraised,
    house_unsafe,
    out_of_pocket_over_line,
    water_problem_overdue,
)
from monitoring_api.sector.crosscheck.rules.people import (
    child_not_enrolled,
    member_not_insured,
    missing_from_roll,
    roll_person_dead,
    roll_person_unknown,
    student_without_aid,
)
from monitoring_api.sector.enums import CHECKS, CheckRule, DataType

QUERIES: dict[CheckRule, RuleQuery] = {
    CheckRule.child_not_enrolled: child_not_enrolled,
    CheckRule.student_without_aid: student_without_aid,
    CheckRule.member_not_insured: member_not_insured,
    CheckRule.out_of_pocket_over_line: out_of_pocket_over_line,
    CheckRule.house_unsafe: house_unsafe,
    CheckRule.house_not_appraised: house_not_appraised,
    CheckRule.water_problem_overdue: water_problem_overdue,
    CheckRule.missing_from_roll: missing_from_roll,
    CheckRule.roll_person_dead: roll_person_dead,
    CheckRule.roll_person_unknown: roll_person_unknown,
}

RULES: dict[DataType, tuple[tuple[CheckRule, RuleQuery], ...]] = {
    data_type: tuple((rule, QUERIES[rule]) for rule in rules) for data_type, rules in CHECKS.items()
}


__all__ = ["RULES", "CheckContext", "RuleQuery"]
