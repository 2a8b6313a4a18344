"""Refusals of microcredit; each names the rule it enforces."""

from typing import Any, ClassVar

from dixian_shared.errors import FieldError, RuleViolation


class CreditRule(RuleViolation):
    """A microcredit rule; `rule_name` is reported as the problem's `rule`, `field` as the offending field."""

    rule_name: ClassVar[str] = ""
    field_name: ClassVar[str | None] = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule=self.rule_name, **kwargs)
        if self.field_name is not None:
            self.errors = [FieldError(field=self.field_name, message=self.detail)]


class AmountOverLimit(CreditRule):
    slug, rule_name, field_name = "microcredit-max-amount", "microcredit-max-amount", "body.amount"
    title = "Loan over the microcredit limit"
    template = "the household would owe {total} yuan in microcredit; at most {limit} yuan"
    title_zh = "超过小额信贷额度"
    template_zh = "该户小额信贷余额将达 {total} 元，超过上限 {limit} 元"


class TermTooLong(CreditRule):
    slug, rule_name, field_name = "microcredit-max-term", "microcredit-max-term", "body.term_months"
    title = "Loan term too long"
    template = "a term of {term_months} months is over the limit of {limit} months"
    title_zh = "贷款期限过长"
    template_zh = "贷款期限 {term_months} 个月，超过上限 {limit} 个月"


class BorrowerAge(CreditRule):
    slug, rule_name, field_name = "microcredit-borrower-age", "microcredit-borrower-age", "body.borrower_id_number"
    title = "Borrower's age out of range"
    template = "the borrower is {age} on the loan date {loan_date}; borrowers must be {min_age} to {max_age}"
    title_zh = "借款人年龄不符合要求"
    template_zh = "借款人在放款日 {loan_date} 为 {age} 周岁，借款人须为 {min_age}–{max_age} 周岁"


class PurposeNotProduction(CreditRule):
    slug, rule_name, field_name = "microcredit-production-purpose", "microcredit-production-purpose", "body.purpose"
    title = "Not a production purpose"
    template = "microcredit is for production; {purpose} is not allowed (consumption, pooling and on-lending never are)"
    title_zh = "贷款用途不符合要求"
    template_zh = "小额信贷只能用于发展生产，不得用于「{purpose}」（不得用于消费、入股企业或转贷）"


class RateOverCap(CreditRule):
    slug, rule_name, field_name = "microcredit-rate-cap", "microcredit-rate-cap", "body.annual_rate"
    title = "Interest rate over the cap"
    template = "an annual rate of {rate} is over the cap of {cap} (the LPR for the term)"
    title_zh = "贷款利率超过上限"
    template_zh = "年利率 {rate} 超过上限 {cap}（同期限 LPR）"


class BorrowerNotEligible(CreditRule):
    slug, rule_name, field_name = (
        "microcredit-borrower-eligible",
        "microcredit-borrower-eligible",
        "body.borrower_id_number",
    )
    title = "Borrower not eligible"
    template = "the borrower's household is {category}; microcredit goes to {eligible}"
    title_zh = "借款人不符合贷款对象条件"
    template_zh = "借款人家庭为{category}，小额信贷对象为：{eligible}"


class BorrowerNotInRegistry(CreditRule):
    slug, rule_name, field_name = (
        "microcredit-borrower-registered",
        "microcredit-borrower-registered",
        "body.borrower_id_number",
    )
    title = "Borrower not in the registry"
    template = (
        "the borrower is {member_status} in the registry ({household_status} household); "
        "only people living there may borrow"
    )
    title_zh = "借款人不在册"
    template_zh = "借款人在系统中状态为「{member_status}」（家庭状态「{household_status}」），只能向在册人员放贷"


class RepaymentOverOutstanding(CreditRule):
    slug, rule_name, field_name = "repayment-over-outstanding", "repayment-over-outstanding", "body.principal"
    title = "Repayment over the principal owed"
    template = "loan {loan_id} owes {outstanding} yuan of principal; a repayment of {principal} is more"
    title_zh = "还款本金超过贷款余额"
    template_zh = "贷款 {loan_id} 本金余额 {outstanding} 元，本次还本 {principal} 元超过余额"


class LoanClosed(CreditRule):
    slug, rule_name = "loan-closed", "loan-closed"
    title = "Loan closed"
    template = "loan {loan_id} is {status}"
    title_zh = "贷款已结清或已续贷"
    template_zh = "贷款 {loan_id} 状态为「{status}」，不能再办理此项"


class ExtensionLimit(CreditRule):
    slug, rule_name = "microcredit-extension-limit", "microcredit-extension-limit"
    title = "Extension not allowed"
    template = "loan {loan_id}: {reason}"
    title_zh = "不能展期"
    template_zh = "贷款 {loan_id}：{reason_zh}"


class RenewalNotAllowed(CreditRule):
    slug, rule_name, field_name = "microcredit-renewal", "microcredit-renewal", "body.renews_loan_id"
    title = "Renewal not allowed"
    template = "loan {loan_id} cannot be renewed: {reason}"
    title_zh = "不能续贷"
    template_zh = "贷款 {loan_id} 不能续贷：{reason_zh}"
