"""Refusals of consumption-assistance purchases; each names its rule."""

from funds_api.errors import FundsRule


class SellerNotEligible(FundsRule):
    slug, rule_name = "purchase-seller-eligible", "purchase-seller-eligible"
    title = "Seller not a lifted household"
    template = "the selling household is {category}; consumption assistance counts purchases from {eligible}"
    title_zh = "销售农户不是帮扶对象"
    template_zh = "销售农户家庭为{category}，消费帮扶只统计向以下对象的采购：{eligible}"


class SellerNotInRegistry(FundsRule):
    slug, rule_name = "purchase-seller-registered", "purchase-seller-registered"
    title = "Seller not in the registry"
    template = "the seller is {member_status} in the registry ({household_status} household)"
    title_zh = "销售农户不在册"
    template_zh = "销售人员在系统中状态为「{member_status}」（家庭状态「{household_status}」）"
