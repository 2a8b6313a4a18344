"""Microcredit vocabulary (values are the Chinese terms users and banks use)."""

from enum import StrEnum


class LoanPurpose(StrEnum):
    planting = "种植业"
    breeding = "养殖业"
    processing = "农产品加工"
    tourism = "乡村旅游"
    trade = "商贸流通"
    other_production = "其他生产经营"
    # Named so a request can say what it is and be refused by the rule, not by a schema error.
    consumption = "生活消费"
    pooling = "入股企业"
    on_lending = "转贷他人"


class RepaymentMethod(StrEnum):
    interest_then_principal = "分期付息到期还本"
    equal_principal = "等额本金"


class LoanStatus(StrEnum):
    active = "在贷"
    settled = "已结清"
    renewed = "已续贷"


class DueState(StrEnum):
    at_risk = "逾期风险"  # unpaid, due within the window: flagged before it is missed
    overdue = "已逾期"
