"""The system rules of the three-line warning as set-based SQL.

Each rule is one SELECT of the households (or members) for which its condition holds now, over a whole scope at once,
with the grade and the data that raised it. The income and expenditure lines read each household's latest income year
and that year's configured line (rules.income_lines), joined as a VALUES table.
"""

from monitoring_api.warnings.conditions.base import COLUMNS, Condition, RuleContext, Scope, latest_income
from monitoring_api.warnings.conditions.guarantee import compulsory_education_dropout, medical_insurance_missing
from monitoring_api.warnings.conditions.income import (
    expenditure_share,
    income_below_threshold,
    income_near_threshold,
    income_sharp_drop,
)
from monitoring_api.warnings.conditions.province import PROVINCE_RULES, verified_income_holding
from monitoring_api.warnings.enums import SystemRule

SYSTEM_RULES: dict[SystemRule, Condition] = {
    SystemRule.income_below_threshold: income_below_threshold,
    SystemRule.income_near_threshold: income_near_threshold,
    SystemRule.income_sharp_drop: income_sharp_drop,
    SystemRule.expenditure_share: expenditure_share,
    SystemRule.compulsory_education_dropout: compulsory_education_dropout,
    SystemRule.medical_insurance_missing: medical_insurance_missing,
}


__all__ = [
    "COLUMNS",
    "PROVINCE_RULES",
    "SYSTEM_RULES",
    "Condition",
    "RuleContext",
    "Scope",
    "latest_income",
    "verified_income_holding",
]
