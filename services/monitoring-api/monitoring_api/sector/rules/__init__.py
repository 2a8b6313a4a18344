"""The cross-check rules of DOMAIN.md's "Three guarantees and water" table, each one set-based SELECT.

Every rule yields rows of (subject_key, region_code, member_id, household_id, id_number, registry_data,
department_data) for one batch; subject_key is unique within a rule's result, so that the discrepancy upsert
can key on (data type, rule, subject_key). No rule loops over rows in Python.
"""

from monitoring_api.sector.enums import CheckRule, DataType
from monitoring_api.sector.rules.common import CheckContext, RuleQuery
from monitoring_api.sector.rules.households import (
    house_not_appraised,
    house_unsafe,
    out_of_pocket_over_line,
    water_problem_overdue,
)
from monitoring_api.sector.rules.people import (
    child_not_enrolled,
    member_not_insured,
    missing_from_roll,
    roll_person_dead,
    roll_person_unknown,
    student_without_aid,
)

_ROLL = ((CheckRule.roll_person_dead, roll_person_dead), (CheckRule.roll_person_unknown, roll_person_unknown))
_MISSING = ((CheckRule.missing_from_roll, missing_from_roll),)

RULES: dict[DataType, tuple[tuple[CheckRule, RuleQuery], ...]] = {
    DataType.education_enrolment: ((CheckRule.child_not_enrolled, child_not_enrolled),),
    DataType.student_aid: ((CheckRule.student_without_aid, student_without_aid),),
    DataType.medical_enrolment: ((CheckRule.member_not_insured, member_not_insured),),
    DataType.medical_claim: ((CheckRule.out_of_pocket_over_line, out_of_pocket_over_line),),
    DataType.doctor_contract: (),
    DataType.housing_appraisal: (
        (CheckRule.house_unsafe, house_unsafe),
        (CheckRule.house_not_appraised, house_not_appraised),
    ),
    DataType.housing_renovation: (),
    DataType.water_problem: ((CheckRule.water_problem_overdue, water_problem_overdue),),
    DataType.dibao_roll: _MISSING + _ROLL,
    DataType.tekun_roll: _MISSING + _ROLL,
    DataType.temporary_assistance_roll: _ROLL,
    DataType.pension_contribution: _MISSING + _ROLL,
}


__all__ = ["RULES", "CheckContext", "RuleQuery"]
