"""Yearly income rows: components that add up, net = income − business expense, per capita = net / household size."""

import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bench.datagen import profile
from monitoring_api.households.enums import Category


@dataclass(slots=True)
class Earners:
    """What of a household drives its income and spending."""

    size: int
    workers: int
    elders: int
    seriously_ill: int
    chronically_ill: int
    studying_away: int
    supported: bool  # 低保 or 特困


@dataclass(slots=True)
class IncomeRow:
    year: int
    wage: Decimal
    business: Decimal
    property: Decimal
    transfer: Decimal
    business_expense: Decimal
    out_of_pocket: Decimal
    size: int
    net: Decimal
    per_capita: Decimal


def _yuan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _cents(value: float) -> int:
    return max(0, round(value * 100))


def per_capita(net: Decimal, size: int) -> Decimal:
    return (net / size).quantize(profile.CENT, rounding=ROUND_HALF_UP)


def _split(rng: random.Random, target: float, who: Earners) -> tuple[int, int, int, int, int]:
    """Wage, gross business, property, transfer income and business expense (cents) whose net is about `target`."""
    if who.workers == 0:
        wage_share, property_share = 0.0, rng.uniform(0.0, 0.06)
        transfer_share = rng.uniform(0.55, 0.85)
    else:
        wage_share = rng.uniform(0.45, 0.80)
        property_share = rng.uniform(0.01, 0.05)
        transfer_share = rng.uniform(0.04, 0.15) + (0.20 if who.supported or who.elders else 0.0)
    business_net_share = 1.0 - wage_share - property_share - transfer_share
    if business_net_share < 0.02:
        # Shares drawn past the whole: scale the others down and keep a little farming.
        scale = 0.98 / (wage_share + property_share + transfer_share)
        wage_share, property_share, transfer_share = wage_share * scale, property_share * scale, transfer_share * scale
        business_net_share = 0.02
    expense = target * business_net_share * rng.uniform(0.4, 1.0)
    return (
        _cents(target * wage_share),
        _cents(target * business_net_share + expense),
        _cents(target * property_share),
        _cents(target * transfer_share),
        _cents(expense),
    )


def _out_of_pocket(rng: random.Random, who: Earners) -> int:
    spent = rng.uniform(0, 600) * who.size
    spent += sum(rng.uniform(8_000, 40_000) for _ in range(who.seriously_ill))
    spent += sum(rng.uniform(500, 3_000) for _ in range(who.chronically_ill))
    spent += sum(rng.uniform(2_000, 8_000) for _ in range(who.studying_away))
    return _cents(spent)


def _row(year: int, parts: tuple[int, int, int, int, int], out_of_pocket: int, size: int) -> IncomeRow:
    wage, business, prop, transfer, expense = (_yuan(c) for c in parts)
    net = wage + business + prop + transfer - expense
    return IncomeRow(
        year, wage, business, prop, transfer, expense, _yuan(out_of_pocket), size, net, per_capita(net, size)
    )


def incomes(rng: random.Random, category: Category, who: Earners, years: tuple[int, ...]) -> list[IncomeRow]:
    """One row per year; the latest year is drawn, earlier ones grow into it (a sudden-hardship household fell)."""
    median, spread = profile.INCOME_MEDIAN[category]
    latest = median * math.exp(rng.gauss(0.0, spread))
    if who.workers == 0:
        latest *= 0.6
    targets: dict[int, float] = {}
    value = latest
    for position, year in enumerate(sorted(years, reverse=True)):
        if position:
            shock = profile.SUDDEN_DROP_FACTOR if category == Category.sudden_hardship and position == 1 else 1.0
            value = value * shock / min(1.3, max(0.85, rng.gauss(1.06, 0.05)))
        targets[year] = value
    rows = []
    for year in sorted(years):
        parts = _split(rng, targets[year] * who.size, who)
        rows.append(_row(year, parts, _out_of_pocket(rng, who), who.size))
    return rows
