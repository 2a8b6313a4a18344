"""The vocabulary of department batches and their discrepancies (values are the Chinese terms of DOMAIN.md)."""

from enum import StrEnum


class Department(StrEnum):
    social_affairs = "区社管局"
    medical_insurance = "区医保分中心"
    housing = "区住建局"
    agriculture = "区农办"


class DataType(StrEnum):
    """What a department pushes; an API key's scopes are these names."""

    education_enrolment = "education_enrolment"
    student_aid = "student_aid"
    medical_enrolment = "medical_enrolment"
    medical_claim = "medical_claim"
    doctor_contract = "doctor_contract"
    housing_appraisal = "housing_appraisal"
    housing_renovation = "housing_renovation"
    water_problem = "water_problem"
    dibao_roll = "dibao_roll"
    tekun_roll = "tekun_roll"
    temporary_assistance_roll = "temporary_assistance_roll"
    pension_contribution = "pension_contribution"

    @property
    def department(self) -> Department:
        return DEPARTMENT_OF[self]


DEPARTMENT_OF = {
    DataType.education_enrolment: Department.social_affairs,
    DataType.student_aid: Department.social_affairs,
    DataType.medical_enrolment: Department.medical_insurance,
    DataType.medical_claim: Department.medical_insurance,
    DataType.doctor_contract: Department.medical_insurance,
    DataType.housing_appraisal: Department.housing,
    DataType.housing_renovation: Department.housing,
    DataType.water_problem: Department.agriculture,
    DataType.dibao_roll: Department.social_affairs,
    DataType.tekun_roll: Department.social_affairs,
    DataType.temporary_assistance_roll: Department.social_affairs,
    DataType.pension_contribution: Department.social_affairs,
}


class BatchState(StrEnum):
    receiving = "接收中"
    closed = "已关闭"


class JobState(StrEnum):
    queued = "排队中"
    running = "运行中"
    done = "已完成"
    failed = "失败"


class DiscrepancyStatus(StrEnum):
    pending = "待核实"
    verified = "已核实"
    handled = "已处理"
    false_alarm = "误报"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = (DiscrepancyStatus.pending, DiscrepancyStatus.verified)

# The workflow a village or town may drive; 已处理 and 误报 are final.
TRANSITIONS = {
    DiscrepancyStatus.pending: {DiscrepancyStatus.verified, DiscrepancyStatus.handled, DiscrepancyStatus.false_alarm},
    DiscrepancyStatus.verified: {DiscrepancyStatus.handled, DiscrepancyStatus.false_alarm},
    DiscrepancyStatus.handled: set(),
    DiscrepancyStatus.false_alarm: set(),
}


class CheckRule(StrEnum):
    """The cross-check rules of DOMAIN.md's "Three guarantees and water" table."""

    child_not_enrolled = "child_not_enrolled"
    student_without_aid = "student_without_aid"
    member_not_insured = "member_not_insured"
    out_of_pocket_over_line = "out_of_pocket_over_line"
    house_unsafe = "house_unsafe"
    house_not_appraised = "house_not_appraised"
    water_problem_overdue = "water_problem_overdue"
    missing_from_roll = "missing_from_roll"
    roll_person_dead = "roll_person_dead"
    roll_person_unknown = "roll_person_unknown"


class Grade(StrEnum):
    """Housing safety appraisal grades; C and D are unsafe."""

    a = "A"
    b = "B"
    c = "C"
    d = "D"


_ROLL_CHECKS = (CheckRule.roll_person_dead, CheckRule.roll_person_unknown)

# Which rules check which data type: the intake counts them for a job, the cross-check runs their queries.
CHECKS: dict[DataType, tuple[CheckRule, ...]] = {
    DataType.education_enrolment: (CheckRule.child_not_enrolled,),
    DataType.student_aid: (CheckRule.student_without_aid,),
    DataType.medical_enrolment: (CheckRule.member_not_insured,),
    DataType.medical_claim: (CheckRule.out_of_pocket_over_line,),
    DataType.doctor_contract: (),
    DataType.housing_appraisal: (CheckRule.house_unsafe, CheckRule.house_not_appraised),
    DataType.housing_renovation: (),
    DataType.water_problem: (CheckRule.water_problem_overdue,),
    DataType.dibao_roll: (CheckRule.missing_from_roll, *_ROLL_CHECKS),
    DataType.tekun_roll: (CheckRule.missing_from_roll, *_ROLL_CHECKS),
    DataType.temporary_assistance_roll: _ROLL_CHECKS,
    DataType.pension_contribution: (CheckRule.missing_from_roll, *_ROLL_CHECKS),
}
