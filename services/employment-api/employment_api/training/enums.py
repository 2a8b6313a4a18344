"""Training vocabulary: kinds of training, attendance outcomes, and the stages of a 雨露计划+ participant."""

from enum import StrEnum


class TrainingKind(StrEnum):
    skills = "技能培训"
    start_up = "创业培训"
    upgrading = "岗位技能提升培训"
    work_for_training = "以工代训"
    internship = "就业见习"


class AttendanceStatus(StrEnum):
    enrolled = "已报名"
    completed = "已结业"
    dropped = "未结业"


class YuluStage(StrEnum):
    studying = "在读"
    graduated = "毕业"
    dropped_out = "肄业"
    further_study = "升学"
    seeking = "待业"
    employed = "就业"


# From school to a job: each stage and the ones that may follow it. 升学 is school again, so it ends like 在读;
# a job may end (待业) or change (就业 again, a new employer).
STAGE_TRANSITIONS: dict[YuluStage, frozenset[YuluStage]] = {
    YuluStage.studying: frozenset({YuluStage.graduated, YuluStage.dropped_out}),
    YuluStage.further_study: frozenset({YuluStage.graduated, YuluStage.dropped_out}),
    YuluStage.graduated: frozenset({YuluStage.employed, YuluStage.seeking, YuluStage.further_study}),
    YuluStage.dropped_out: frozenset({YuluStage.employed, YuluStage.seeking}),
    YuluStage.seeking: frozenset({YuluStage.employed, YuluStage.further_study}),
    YuluStage.employed: frozenset({YuluStage.employed, YuluStage.seeking}),
}
