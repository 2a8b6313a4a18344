"""Chinese names of employment-api's fields (DOMAIN.md's terms): validation errors label a field with FIELD_LABELS,
and the XLSX exports head their columns with EXPORT_LABELS (the same names plus the fields only a read carries).

A name two models use with different meanings is labelled here in words true of both (validation errors know only the
name): `closed_on` ends a position (撤岗) and a job-seeker registration, `status` is a ledger entry's employment and a
training attendance's. Each list says what its fields mean where it is exported (`exporting.exportable(labels=...)`,
the labels below).
"""

FIELD_LABELS = {
    "labourer_id": "劳动力",
    "target": "指标",
    "region_code": "区划代码",
    "qualifies": "是否在册",
    "household_id": "户",
    "kind": "类别",
    "name": "名称",
    "employer": "用工单位",
    "monthly_pay": "月工资",
    "opened_on": "设岗日期",
    "closed_on": "结束日期",
    "start_on": "开始日期",
    "end_on": "结束日期",
    "end_reason": "离岗原因",
    "registered_on": "求职登记日期",
    "wanted_job": "求职意向",
    "outcome": "结果",
    "part": "服务内容",
    "served_on": "服务日期",
    "served_by": "服务人",
    "surveyed_on": "调查日期",
    "surveyed_by": "调查人",
    "wants_training": "是否有培训需求",
    "wanted_skills": "培训意向",
    "title": "培训名称",
    "organizer": "举办单位",
    "hours": "学时",
    "certificate": "证书编号",
    "id_number": "身份证号",
    "school": "就读学校",
    "major": "专业",
    "enrolled_on": "入学日期",
    "stage": "去向",
    "reached_on": "日期",
    "month": "月份",
    "status": "状态",
    "place": "务工地点",
    "months_worked": "务工月数",
    "monthly_income": "月收入",
    "job_channel": "就业渠道",
    "late_reason": "逾期修改原因",
    "entry_id": "台账记录",
    "period": "期间",
    "amount": "金额",
    "granted_on": "发放日期",
    "granted_by": "审批单位",
    "revoked_on": "撤销日期",
    "reason": "原因",
}
# What a read carries beyond what a request sends: identifiers, who and when, computed figures.
READ_LABELS = {
    "id": "编号",
    "member_id": "家庭成员编号",
    "household_id": "农户编号",
    "labourer_id": "劳动力编号",
    "labourer_ids": "劳动力编号",
    "labourer_names": "劳动力姓名",
    "position_id": "岗位编号",
    "training_id": "培训编号",
    "seeker_id": "求职登记编号",
    "entry_id": "台账记录编号",
    "name": "姓名",
    "sex": "性别",
    "birth_date": "出生日期",
    "labour_skill": "劳动技能",
    "household_category": "户类别",
    "member_status": "成员状态",
    "status_date": "状态变更日期",
    "left_on": "退出日期",
    "late": "是否逾期修改",
    "notes": "备注",
    "created_at": "创建时间",
    "updated_at": "更新时间",
    "recorded_by": "录入人",
    "revoke_reason": "撤销原因",
    "labourers": "劳动力人数",
    "done": "已提供服务",
    "missing": "缺少服务",
    "last_surveyed_on": "上次调查日期",
    "due_on": "应调查日期",
    "stage_on": "去向日期",
}
EXPORT_LABELS = {**FIELD_LABELS, **READ_LABELS}

# Per list, where a field means something of its own.
# The villages' sheet and the towns' sheet share these: `name` is a village in one and a town in the other.
VILLAGE_MONTH_LABELS = {
    "name": "地区",
    "state": "填报状态",
    "entries": "已填报人数",
    "submitted_at": "提交时间",
    "submitted_late": "是否逾期提交",
    "confirmed_at": "确认时间",
    "confirmed_late": "是否逾期确认",
    "villages": "村数",
    "submitted": "已提交村数",
    "confirmed": "已确认村数",
}
POSITION_LABELS = {"kind": "岗位类别", "name": "岗位名称", "closed_on": "撤岗日期"}
# A person's time in a position: the position's kind, 上岗 and 离岗 (end_reason is the 离岗原因).
OCCUPANCY_LABELS = {"kind": "岗位类别", "start_on": "上岗日期", "end_on": "离岗日期"}
SEEKER_LABELS = {"closed_on": "求职登记结束日期"}
ATTENDANCE_LABELS = {"status": "出勤状态"}
# The ledger's entries (and the people a target counts from them), in the words of the ledger's own sheet
# (sheets/columns.py): the person's 就业单位, not a position's 用工单位.
LEDGER_LABELS = {"status": "就业状态", "employer": "就业单位"}
TARGET_LABELS = {
    "name": "地区",
    "employed_lifted": "脱贫劳动力务工就业人数",
    "public_welfare_lifted": "公益性岗位安置脱贫劳动力人数",
    "in_workshops": "帮扶车间就业人数",
    "zero_employment_households": "零就业家庭户数",
}
