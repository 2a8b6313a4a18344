"""Errors of the income domain."""

from dixian_shared.errors import RuleViolation


class FutureIncomeYear(RuleViolation):
    slug = "income-year-not-over"
    title_zh = "收入年度未开始"
    template_zh = "{year} 年尚未开始，不能登记该年收入（今天是 {today}）"
    template = "income for {year} cannot be recorded before the year begins (today is {today})"


class NoHouseholdSize(RuleViolation):
    slug = "household-size-unknown"
    title_zh = "家庭人口数未知"
    template_zh = "农户 {household_id} 没有在册成员，请填写家庭人口数（household_size）"
    template = "household {household_id} has no active member: send household_size explicitly"


class HouseholdDissolved(RuleViolation):
    slug = "household-dissolved"
    title_zh = "农户已注销"
    template_zh = "农户 {household_id} 已注销，收入不能再修改"
    template = "household {household_id} is dissolved (注销); its income can no longer change"
