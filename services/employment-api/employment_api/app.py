"""Builds the employment-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from dixian_shared.errors import register_field_labels
from employment_api.deadlines.endpoints import router as deadlines_router
from employment_api.jobs.endpoints import router as jobs_router
from employment_api.ledger.endpoints import router as ledger_router
from employment_api.models import COMMON
from employment_api.roster.endpoints import router as roster_router
from employment_api.service131.endpoints import router as service131_router
from employment_api.settings import EmploymentSettings
from employment_api.sheets.endpoints import router as sheets_router
from employment_api.subsidies.endpoints import router as subsidies_router
from employment_api.targets.endpoints import router as targets_router
from employment_api.training.endpoints import router as training_router
from employment_api.training.yulu_endpoints import router as yulu_router

ROUTERS = [
    roster_router,
    ledger_router,
    targets_router,
    sheets_router,
    jobs_router,
    service131_router,
    training_router,
    yulu_router,
    deadlines_router,
    subsidies_router,
]

register_field_labels(
    {
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
        "closed_on": "撤岗日期",
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
        "status": "就业状态",
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
)


def create_app(settings: EmploymentSettings | None = None, context: AppContext | None = None) -> FastAPI:
    return create_service_app(
        settings or EmploymentSettings(),
        COMMON,
        title="Dixian employment-api",
        description="Labour roster, monthly employment ledger, 131 service, training and subsidies.",
        routers=ROUTERS,
        context=context,
    )
