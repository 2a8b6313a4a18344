"""The ledger's coded values, in the terms of the work plan (also the drop-down lists of the spreadsheet)."""

from enum import StrEnum


class EmploymentStatus(StrEnum):
    migrant_work = "务工"
    public_welfare = "公益性岗位"
    workshop = "帮扶车间"
    self_employed = "自主创业"
    flexible = "灵活就业"
    unemployed = "未就业"


class Place(StrEnum):
    in_county = "县内"
    in_province = "县外省内"
    out_of_province = "省外"


class JobChannel(StrEnum):
    """How the job was found."""

    government = "政府组织"
    labour_cooperation = "劳务协作"
    job_fair = "招聘会"
    online = "网络平台"
    relatives = "亲友介绍"
    own_search = "自主求职"
    other = "其他"


class MonthState(StrEnum):
    not_started = "未开始"
    in_progress = "填报中"
    submitted = "已提交"
    confirmed = "已确认"
    overdue = "逾期"


EMPLOYED = tuple(s for s in EmploymentStatus if s != EmploymentStatus.unemployed)
