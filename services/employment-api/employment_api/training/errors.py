"""Refusals of surveys, trainings and 雨露计划+ records; each names the rule it enforces."""

from typing import Any

from dixian_shared.errors import Conflict
from employment_api.problems import NamedRule


class NamedConflict(Conflict):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule=self.slug, **kwargs)


class SurveyTwiceADay(NamedConflict):
    slug = "one-survey-a-day"
    template = "labourer {labourer_id} already has a training-needs survey on {surveyed_on}"
    title_zh = "同一天已有培训需求调查"
    template_zh = "劳动力 {labourer_id} 在 {surveyed_on} 已有培训需求调查记录"


class AttendsTwice(NamedConflict):
    slug = "attend-once-per-training"
    template = "labourer {labourer_id} is already on training {training_id}"
    title_zh = "已报名该培训"
    template_zh = "劳动力 {labourer_id} 已在培训 {training_id} 的名单中"


class NotYetEnded(NamedRule):
    slug = "completion-after-training"
    template = "training {training_id} ends on {end_on}; nobody completes it before (today is {today})"
    title_zh = "培训尚未结束"
    template_zh = "培训 {training_id} 于 {end_on} 结束，结束前不能登记结业（今天是 {today}）"


class TrainingHasAttendance(NamedRule):
    slug = "completion-after-training"
    template = "training {training_id} has completions; it cannot end after today ({today})"
    title_zh = "培训已有结业记录"
    template_zh = "培训 {training_id} 已有人结业，结束日期不能晚于今天（{today}）"


class YuluAlreadyFollowed(NamedConflict):
    slug = "one-yulu-record-per-person"
    template = "the person with ID number {id_number} is already followed as 雨露计划+ participant {participant_id}"
    title_zh = "该学生已在雨露计划+跟踪名单中"
    template_zh = "身份证号 {id_number} 的学生已在雨露计划+跟踪名单中（{participant_id}）"


class StageOrder(NamedRule):
    slug = "yulu-stage-order"
    template = "a participant who is {current} cannot become {wanted}; next may be: {allowed}"
    title_zh = "去向变化不符合顺序"
    template_zh = "当前状态为{current}，不能变为{wanted}；可变为：{allowed}"


class MilestoneBeforeLast(NamedRule):
    slug = "yulu-stage-order"
    template = "{wanted} on {reached_on} is before the current stage's date ({stage_on})"
    title_zh = "去向变化不符合顺序"
    template_zh = "{wanted}的日期 {reached_on} 早于当前状态的日期（{stage_on}）"


class EmployerRequired(NamedRule):
    slug = "yulu-employer-required"
    template = "a participant who is 就业 has an employer"
    title_zh = "就业须填写就业单位"
    template_zh = "去向为就业时须填写就业单位"


class LabourerNotThisPerson(NamedRule):
    slug = "yulu-labourer-same-person"
    template = "labourer {labourer_id} has another ID number than the participant"
    title_zh = "劳动力与学生不是同一人"
    template_zh = "劳动力 {labourer_id} 的身份证号与该学生不一致"
