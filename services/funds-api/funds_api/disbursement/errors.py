"""Refusals of allocations and payments; each names the rule it enforces."""

from funds_api.errors import FundsConflict, FundsRule


class AllocationOverSource(FundsRule):
    slug, rule_name = "allocation-within-fund-source", "allocation-within-fund-source"
    title = "The allocation exceeds what is left of the fund source"
    template = (
        "fund source {fund_source_id} holds {amount}, {allocated} is allocated: {requested} exceeds the {left} left"
    )
    title_zh = "分配金额超过资金来源余额"
    template_zh = "资金来源 {fund_source_id} 共 {amount}，已分配 {allocated}，本次 {requested} 超过剩余的 {left}"


class AllocationOverBudget(FundsRule):
    slug, rule_name = "allocation-within-budget", "allocation-within-budget"
    title = "The allocations exceed the project's budget"
    template = (
        "project {project_id} has a budget of {budget} and {allocated} allocated: {requested} exceeds the {left} left"
    )
    title_zh = "分配金额超过项目预算"
    template_zh = "项目 {project_id} 预算 {budget}，已分配 {allocated}，本次 {requested} 超过剩余的 {left}"


class FundSourceYear(FundsRule):
    slug, rule_name = "allocation-same-year", "allocation-same-year"
    title = "Fund source and project are of different years"
    template = "fund source {fund_source_id} is of {source_year}; project {project_id} is in the {project_year} library"
    title_zh = "资金年度与项目年度不一致"
    template_zh = "资金来源 {fund_source_id} 为 {source_year} 年度，项目 {project_id} 属于 {project_year} 年度项目库"


class PaymentOverAllocation(FundsRule):
    slug, rule_name = "payment-within-allocation", "payment-within-allocation"
    title = "The payment exceeds what is left of the allocation"
    template = "allocation {allocation_id} is {amount}, {paid} is paid: {requested} exceeds the {left} left"
    title_zh = "支付金额超过分配余额"
    template_zh = "资金分配 {allocation_id} 共 {amount}，已支付 {paid}，本次 {requested} 超过剩余的 {left}"


class PaymentToUnapproved(FundsRule):
    slug, rule_name = "payment-to-approved-project", "payment-to-approved-project"
    title = "Payments go to approved projects only"
    template = "project {project_id} is {status}; only an approved (已入库) project is paid"
    title_zh = "只能向已入库项目支付"
    template_zh = "项目 {project_id} 当前状态为{status}，只能向已入库项目支付资金"


class AllocationToUnapproved(FundsRule):
    slug, rule_name = "allocation-to-approved-project", "allocation-to-approved-project"
    title = "Funds are allocated to approved projects only"
    template = "project {project_id} is {status}; only an approved (已入库) project is allocated funds"
    title_zh = "只能向已入库项目分配资金"
    template_zh = "项目 {project_id} 当前状态为{status}，只能向已入库项目分配资金"


class AllocationOfAnotherProject(FundsRule):
    slug, rule_name = "payment-from-own-allocation", "payment-from-own-allocation"
    title = "The allocation belongs to another project"
    template = "allocation {allocation_id} funds project {owner}, not project {project_id}"
    title_zh = "资金分配不属于该项目"
    template_zh = "资金分配 {allocation_id} 属于项目 {owner}，不属于项目 {project_id}"


class MoneyDate(FundsRule):
    slug, rule_name = "money-dates", "money-dates"
    title = "Date out of range"
    template = "{what} {value} must lie between {earliest} and today {today}"
    title_zh = "日期超出范围"
    template_zh = "{what} {value} 须在 {earliest} 与今天 {today} 之间"


class VoucherTaken(FundsConflict):
    slug, rule_name = "voucher-number-once", "voucher-number-once"
    title = "Voucher number already used"
    template = "voucher {voucher_number} is already recorded (payment {payment_id})"
    title_zh = "凭证号已登记"
    template_zh = "凭证号 {voucher_number} 已登记（支付记录 {payment_id}）"
