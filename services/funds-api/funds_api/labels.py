"""Chinese names of funds-api's fields (DOMAIN.md's terms): validation errors label a field with FIELD_LABELS, and
the XLSX exports head their columns with EXPORT_LABELS (the same names plus the fields only a read carries).

Domains name some fields alike (`kind` of an asset, an entity, a 联农带农 record): FIELD_LABELS keeps one label per
name for errors, and an export whose field means something else passes its own label (`exporting.exportable`).
"""

from funds_api.assets.operation_schemas import OPERATION_LABELS as ASSET_OPERATION_LABELS
from funds_api.assets.schemas import FIELD_LABELS as ASSET_LABELS
from funds_api.credit.schemas import FIELD_LABELS as CREDIT_LABELS
from funds_api.entities.schemas import FIELD_LABELS as ENTITY_LABELS
from funds_api.purchases.schemas import FIELD_LABELS as PURCHASE_LABELS

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

# What a read carries beyond what a request sends: identifiers, who and when, states and computed figures.
READ_LABELS = {
    "id": "编号",
    "project_id": "项目编号",
    "fund_source_id": "资金来源编号",
    "allocation_id": "资金下达编号",
    "asset_id": "资产编号",
    "loan_id": "贷款编号",
    "renews_loan_id": "续贷原贷款编号",
    "entity_id": "经营主体编号",
    "base_id": "产业基地编号",
    "household_id": "农户编号",
    "member_id": "家庭成员编号",
    "town_code": "乡镇代码",
    "town_name": "乡镇",
    "note": "备注",
    "created_at": "创建时间",
    "updated_at": "更新时间",
    "status": "状态",
    "state": "状态",
    "allocated": "已下达金额",
    "paid": "已拨付金额",
    "rate": "拨付率",
    "description": "项目内容",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "declared_on": "申报日期",
    "declared_by": "申报人",
    "decided_on": "审定日期",
    "decided_by": "审批人",
    "decision_note": "审批意见",
    "refusal_reason": "未通过理由",
    "progress": "实施进度",
    "allocated_by": "下达人",
    "paid_by": "拨付人",
    "borrower_name": "借款人",
    "household_category": "户类别",
    "maturity_date": "到期日期",
    "settled_on": "结清日期",
    "renewal_count": "续贷次数",
    "extension_count": "展期次数",
    "seller_name": "销售方",
}
EXPORT_LABELS = {**FIELD_LABELS, **READ_LABELS}

# Per list, where a field means something of its own.
LIBRARY_LABELS = {
    "declared": "申报项目数",
    "awaiting_town": "待乡审核",
    "awaiting_district": "待区审定",
    "approved": "已入库",
    "returned": "乡镇退回",
    "refused": "区级未通过",
    "complete": "是否完成",
    "late": "是否逾期",
    "days_late": "逾期天数",
}
CHANGE_LABELS = {
    "status": "变更状态",
    "before": "变更前",
    "after": "变更后",
    "project_version": "项目版本号",
    "requested_on": "申请日期",
    "requested_by": "申请人",
    "decided_on": "审批日期",
}
ROLLUP_LABELS = {
    "key": "代码",
    "label": "名称",
    "meets_target": "是否达到节点",
    "projects": "项目数",
    "lagging": "滞后项目数",
    "missed": "未达已过节点项目数",
}
DUE_LABELS = {
    "seq": "期次",
    "due_on": "应还日期",
    "principal_short": "未还本金",
    "interest_short": "未还利息",
    "state": "到期状态",
}
LEDGER_LABELS = {"keeper": "管理主体", "assets": "资产数量"}
UPKEEP_LABELS = {"level": "管护层级", "period_start": "管护周期开始", "period_end": "管护周期结束"}
PV_LABELS = {"asset_id": "电站资产编号", "name": "电站名称", "months_reported": "已报月数"}
INDUSTRY_LABELS = {"central_allocated": "已下达中央资金"}
