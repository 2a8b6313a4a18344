"""The vocabulary of warnings and key groups (values are the Chinese terms of DOMAIN.md)."""

from enum import StrEnum


class Line(StrEnum):
    income = "收入线"
    expenditure = "支出线"
    guarantee = "保障线"


class Grade(StrEnum):
    red = "红色"
    yellow = "黄色"
    green = "绿色"


class Source(StrEnum):
    """Who raised a warning: the system's own rules, a sector department through its cross-check, or the province
    (an income it verified, warnings/conditions/province.py)."""

    system = "系统规则"
    province = "省防返贫监测帮扶系统"
    social_affairs = "区社管局"
    medical_insurance = "区医保分中心"
    housing = "区住建局"
    agriculture_office = "区农办"
    party_affairs = "区党群部"
    finance = "区财政局"


class KeyGroup(StrEnum):
    """八类重点人群, in the order of the Jiangxi practice."""

    lifted = "脱贫户"
    low_income = "低收入农户"
    dibao_tekun = "农村低保对象和分散供养特困人员"
    guarantee_problem = "三保障和饮水安全问题户"
    industry_affected = "产业影响较大农户"
    unstable_employment = "就业不稳定户"
    special_hardship = "特殊困难人员"
    rigid_spending_or_drop = "刚性支出较大或收入大幅缩减户"


class GroupBasis(StrEnum):
    derived = "数据推导"
    manual = "人工标记"


# Groups whose membership the data fully decides: a manual mark would contradict the registry.
DERIVED_ONLY_GROUPS = frozenset({KeyGroup.lifted, KeyGroup.dibao_tekun})


class SystemRule(StrEnum):
    """The rules the system evaluates itself; a department's warning names its own rule."""

    income_below_threshold = "income_below_threshold"
    income_near_threshold = "income_near_threshold"
    income_sharp_drop = "income_sharp_drop"
    expenditure_share = "expenditure_share"
    compulsory_education_dropout = "compulsory_education_dropout"
    medical_insurance_missing = "medical_insurance_missing"
