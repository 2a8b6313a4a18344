"""The income line (收入线) and the expenditure line (支出线) over each household's latest income year."""

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from monitoring_api.income.models import HouseholdIncome
from monitoring_api.warnings.conditions.base import RuleContext, Scope, columns, income_lines, latest_income, money
from monitoring_api.warnings.enums import Grade, Line, SystemRule


def income_below_threshold(scope: Scope, ctx: RuleContext) -> Select:
    """收入线 红色: per-capita net income below the year's monitoring threshold."""
    latest, line = latest_income(scope), income_lines(ctx.rules)
    data = func.jsonb_build_object(
        "year", latest.c.year, "per_capita_net_income", latest.c.per_capita, "threshold", line.c.threshold
    )
    cols = columns(
        latest.c.household_id, latest.c.region_code, Line.income, Grade.red, SystemRule.income_below_threshold, "", data
    )
    return (
        select(*cols)
        .select_from(latest)
        .join(line, line.c.year == latest.c.year)
        .where(latest.c.per_capita < line.c.threshold)
    )


def income_near_threshold(scope: Scope, ctx: RuleContext) -> Select:
    """收入线 黄色: at or above the threshold but within yellow_margin of it."""
    latest, line = latest_income(scope), income_lines(ctx.rules)
    upper = line.c.threshold * (1 + line.c.yellow_margin)
    data = func.jsonb_build_object(
        "year",
        latest.c.year,
        "per_capita_net_income",
        latest.c.per_capita,
        "threshold",
        line.c.threshold,
        "yellow_margin",
        line.c.yellow_margin,
        "upper_bound",
        func.round(upper, 2),
    )
    cols = columns(
        latest.c.household_id,
        latest.c.region_code,
        Line.income,
        Grade.yellow,
        SystemRule.income_near_threshold,
        "",
        data,
    )
    return (
        select(*cols)
        .select_from(latest)
        .join(line, line.c.year == latest.c.year)
        .where(latest.c.per_capita >= line.c.threshold, latest.c.per_capita <= upper)
    )


def income_sharp_drop(scope: Scope, ctx: RuleContext) -> Select:
    """收入线 黄色: per-capita net income fell by sharp_drop or more against the year before."""
    latest, line = latest_income(scope), income_lines(ctx.rules)
    prev = aliased(HouseholdIncome, name="prev")
    fall = prev.per_capita_net_income - latest.c.per_capita
    data = func.jsonb_build_object(
        "year",
        latest.c.year,
        "per_capita_net_income",
        latest.c.per_capita,
        "previous_year",
        prev.year,
        "previous_per_capita_net_income",
        prev.per_capita_net_income,
        "drop_share",
        func.round(fall / prev.per_capita_net_income, 4),
        "sharp_drop",
        line.c.sharp_drop,
    )
    cols = columns(
        latest.c.household_id, latest.c.region_code, Line.income, Grade.yellow, SystemRule.income_sharp_drop, "", data
    )
    return (
        select(*cols)
        .select_from(latest)
        .join(line, line.c.year == latest.c.year)
        .join(prev, and_(prev.household_id == latest.c.household_id, prev.year == latest.c.year - 1))
        .where(prev.per_capita_net_income > 0, fall >= line.c.sharp_drop * prev.per_capita_net_income)
    )


def expenditure_share(scope: Scope, ctx: RuleContext) -> Select:
    """支出线: 合规自付 against 家庭纯收入, 红色 from red_share, 黄色 from yellow_share; no net income is 红色."""
    latest = latest_income(scope)
    shares = ctx.rules.expenditure_line
    red, yellow = money(shares.red_share), money(shares.yellow_share)
    spend, net = latest.c.out_of_pocket, latest.c.net_income
    grade = case((or_(net <= 0, spend >= red * net), Grade.red.value), else_=Grade.yellow.value)
    data = func.jsonb_build_object(
        "year",
        latest.c.year,
        "compliant_out_of_pocket",
        spend,
        "net_income",
        net,
        "share",
        case((net > 0, func.round(spend / net, 4)), else_=None),
        "yellow_share",
        yellow,
        "red_share",
        red,
    )
    cols = columns(
        latest.c.household_id, latest.c.region_code, Line.expenditure, grade, SystemRule.expenditure_share, "", data
    )
    return select(*cols).select_from(latest).where(spend > 0, or_(net <= 0, spend >= yellow * net))
