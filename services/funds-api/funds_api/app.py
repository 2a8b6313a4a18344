"""Builds the funds-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from dixian_shared.errors import register_field_labels
from funds_api.assets.endpoints import router as assets_router
from funds_api.assets.operation_endpoints import router as asset_operations_router
from funds_api.assets.operation_schemas import OPERATION_LABELS as ASSET_OPERATION_LABELS
from funds_api.assets.schemas import FIELD_LABELS as ASSET_LABELS
from funds_api.credit.endpoints import router as credit_router
from funds_api.credit.schemas import FIELD_LABELS as CREDIT_LABELS
from funds_api.deadlines.endpoints import router as deadlines_router
from funds_api.disbursement.endpoints import router as disbursement_router
from funds_api.entities.endpoints import router as entities_router
from funds_api.entities.schemas import FIELD_LABELS as ENTITY_LABELS
from funds_api.models import COMMON
from funds_api.projects.change_endpoints import router as changes_router
from funds_api.projects.endpoints import router as projects_router
from funds_api.purchases.endpoints import router as purchases_router
from funds_api.purchases.schemas import FIELD_LABELS as PURCHASE_LABELS
from funds_api.reports.endpoints import router as reports_router
from funds_api.settings import FundsSettings
from funds_api.sources.endpoints import router as sources_router

# One router per line, so that helpers adding domains side by side merge cleanly.
ROUTERS = [
    sources_router,
    projects_router,
    disbursement_router,
    changes_router,
    reports_router,
    credit_router,
    deadlines_router,
    entities_router,
    purchases_router,
    asset_operations_router,
    assets_router,
]

FIELD_LABELS = {
    "year": "年度",
    "level": "资金级次",
    "document_number": "文号",
    "amount": "金额",
    "budget": "项目预算",
    "name": "名称",
    "type": "项目类型",
    "region_code": "区划代码",
    "owner_department": "主管部门",
    "funding_plan": "资金计划",
    "performance_targets": "绩效目标",
    "notice_start": "公示开始日期",
    "notice_end": "公示结束日期",
    "opinion": "审核意见",
    "reason": "理由",
    "taken_on": "办理日期",
    "completed_on": "完工日期",
    "voucher_number": "凭证号",
    "paid_on": "支付日期",
    "allocated_on": "下达日期",
    "fund_source_id": "资金来源",
    "project_id": "项目",
    **CREDIT_LABELS,
    **ENTITY_LABELS,
    **PURCHASE_LABELS,
    **ASSET_LABELS,
    **ASSET_OPERATION_LABELS,
}


def create_app(settings: FundsSettings | None = None, context: AppContext | None = None) -> FastAPI:
    register_field_labels(FIELD_LABELS)
    return create_service_app(
        settings or FundsSettings(),
        COMMON,
        title="Dixian funds-api",
        description="Fund sources, project library, allocations, payments, assets, microcredit, consumption aid.",
        routers=ROUTERS,
        context=context,
    )
