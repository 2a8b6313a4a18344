"""The parts of the "131" service and how a job-seeker registration ends (Chinese terms)."""

from enum import StrEnum


class ServicePart(StrEnum):
    guidance = "职业指导"
    referral = "岗位推荐"
    training = "培训或见习"


class SeekerOutcome(StrEnum):
    employed = "已就业"
    withdrawn = "不再求职"
    left_roster = "退出劳动力台账"
