"""Refusals of fund sources."""

from funds_api.errors import FundsRule


class AmountBelowAllocated(FundsRule):
    slug, rule_name = "fund-source-covers-allocations", "fund-source-covers-allocations"
    title = "A fund source cannot hold less than is allocated from it"
    template = "fund source {fund_source_id}: {amount} is less than the {allocated} already allocated from it"
    title_zh = "资金额度不能低于已分配金额"
    template_zh = "资金来源 {fund_source_id}：金额 {amount} 低于已从中分配的 {allocated}"


class NotADistrict(FundsRule):
    slug, rule_name = "fund-source-held-by-district", "fund-source-held-by-district"
    title = "Fund sources are held by the district"
    template = "fund sources are recorded by a district office or department, not under {region_code}"
    title_zh = "资金来源由区级登记"
    template_zh = "资金来源须由区级部门登记，{region_code} 不是区级区划"
