"""The funds rules with numbers (DOMAIN.md, "Rules with numbers"): configuration with the work plan's defaults.

Read from FUNDS_RULES__* (e.g. FUNDS_RULES__CENTRAL_INDUSTRY_MIN_SHARE=0.7). Every field has a test that fails if
the rule it drives is broken. Each domain keeps its own block here so that one settings object carries them all.
"""

import calendar
from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, Field, model_validator

from funds_api.credit.enums import LoanPurpose

Share = Field(gt=0, le=1, max_digits=5, decimal_places=4)


class MonthDay(BaseModel):
    """A day of the year as the plan writes it (30 June, 31 October)."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _exists(self) -> Self:
        # Checked against a leap year so that 29 February stays possible.
        if self.day > calendar.monthrange(2024, self.month)[1]:
            raise ValueError(f"month {self.month} has no day {self.day}")
        return self

    def in_year(self, year: int) -> date:
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, min(self.day, last))


class Milestone(BaseModel):
    """The disbursement rate (paid / allocated) the year's projects must reach by a day of the year (§10)."""

    due: MonthDay
    min_rate: Decimal = Share


class DisbursementRules(BaseModel):
    milestones: list[Milestone] = Field(
        default=[
            Milestone(due=MonthDay(month=6, day=30), min_rate=Decimal("0.50")),
            Milestone(due=MonthDay(month=9, day=30), min_rate=Decimal("0.75")),
        ],
        min_length=1,
    )

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        # Later milestones ask for more: a list out of order would let a later, lower one hide a missed one.
        days = [(m.due.month, m.due.day) for m in self.milestones]
        rates = [m.min_rate for m in self.milestones]
        if days != sorted(days) or len(set(days)) != len(days) or rates != sorted(rates):
            raise ValueError("milestones must be in date order with rising min_rate")
        return self


class LibraryRules(BaseModel):
    """Next year's project library opens in July and must be complete by 31 October (§10)."""

    opens: MonthDay = MonthDay(month=7, day=1)
    due: MonthDay = MonthDay(month=10, day=31)

    @model_validator(mode="after")
    def _opens_before_due(self) -> Self:
        if (self.opens.month, self.opens.day) >= (self.due.month, self.due.day):
            raise ValueError("the library must open before it is due")
        return self

    def opens_for(self, library_year: int) -> date:
        return self.opens.in_year(library_year - 1)

    def due_for(self, library_year: int) -> date:
        return self.due.in_year(library_year - 1)


class CreditRules(BaseModel):
    """Microcredit 小额信贷 (§7, national rule)."""

    max_amount: Decimal = Field(
        default=Decimal("50000"), gt=0, description="≤ 50,000 yuan, counted over the household's loans still owed"
    )
    max_term_months: int = Field(default=36, ge=1, description="≤ 3 years")
    borrower_min_age: int = Field(default=18, ge=0, description="full years at the loan date, from the ID number")
    borrower_max_age: int = Field(default=65, ge=0, description="full years at the loan date (66 is refused)")
    eligible_categories: list[str] = Field(
        default=["脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"],
        description="household categories that may borrow: lifted households and monitoring subjects",
    )
    production_purposes: list[LoanPurpose] = Field(
        default=[
            LoanPurpose.planting,
            LoanPurpose.breeding,
            LoanPurpose.processing,
            LoanPurpose.tourism,
            LoanPurpose.trade,
            LoanPurpose.other_production,
        ],
        description="purposes allowed; consumption, pooling into firms and on-lending are not",
    )
    max_annual_rate: Decimal = Field(
        default=Decimal("0.0310"), gt=0, description="interest capped by the one-year LPR (3.10% from 2024-10-21)"
    )
    subsidy_rate: Decimal = Field(
        default=Decimal("0.0310"), ge=0, description="贴息: annual rate the district refunds, at most the loan's rate"
    )
    due_window_days: int = Field(
        default=30, ge=1, description="instalments due within this many days are listed and the loan flagged 逾期风险"
    )
    max_extensions: int = Field(default=1, ge=0, description="展期 per loan")
    max_extension_months: int = Field(default=12, ge=1, description="an extension moves maturity by at most this")
    max_renewals: int = Field(default=1, ge=0, description="续贷 in a chain of loans")

    @model_validator(mode="after")
    def _age_range(self) -> Self:
        if self.borrower_min_age > self.borrower_max_age:
            raise ValueError("borrower_min_age must not exceed borrower_max_age")
        return self


class PurchaseRules(BaseModel):
    """Consumption assistance 消费帮扶 (§9)."""

    annual_goal: Decimal = Field(default=Decimal("430000"), ge=0, description="purchases per year ≥ 430,000 yuan")
    eligible_categories: list[str] = Field(
        default=["脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"],
        description="household categories a purchase may count from: lifted households and monitoring subjects",
    )


class EntityBaseline(BaseModel):
    """Totals of a past year, as the district recorded them before this system (figures, not records)."""

    entities: int = Field(ge=0)
    bases: int = Field(ge=0)
    households_linked: int = Field(ge=0)
    lifted_households_linked: int = Field(ge=0)
    people_employed: int = Field(ge=0)
    amount_to_farmers: Decimal = Field(ge=0)


class EntityRules(BaseModel):
    """Business entities and bases (§7): ≥ 1 base per key-assistance village; totals not below 2023."""

    key_villages: list[str] = Field(
        default=[], description="重点帮扶村: region codes the district designates (12 digits)"
    )
    min_bases_per_key_village: int = Field(default=1, ge=0, description="each key-assistance village has ≥ 1 base")
    baseline_year: int = Field(default=2023, ge=2000, le=2100, description="totals must not fall below this year's")
    baseline: EntityBaseline | None = Field(
        default=None, description="the baseline year's figures; when unset they are computed from its records"
    )

    @model_validator(mode="after")
    def _villages(self) -> Self:
        if any(len(code) != 12 or not code.isdigit() or code.endswith("000") for code in self.key_villages):
            raise ValueError("key_villages are 12-digit village codes")
        return self


class AssetRules(BaseModel):
    """Upkeep of project assets (§11): village monthly upkeep, town quarterly inspection, district half-yearly."""

    village_upkeep_months: int = Field(default=1, ge=1, le=12, description="村级管护: one record per month")
    town_inspection_months: int = Field(default=3, ge=1, le=12, description="乡镇巡查: one record per quarter")
    district_supervision_months: int = Field(default=6, ge=1, le=12, description="区级督导: one per half-year")

    @model_validator(mode="after")
    def _periods_tile_the_year(self) -> Self:
        # Periods are calendar months, quarters or halves: a cadence that does not divide 12 has no such periods.
        for name in ("village_upkeep_months", "town_inspection_months", "district_supervision_months"):
            if 12 % getattr(self, name):
                raise ValueError(f"{name} must divide 12 (1, 2, 3, 4, 6 or 12)")
        return self


class FundsRules(BaseModel):
    central_industry_min_share: Decimal = Field(
        default=Decimal("0.65"), gt=0, le=1, description="§7: central connection funds spent on 产业 projects"
    )
    disbursement: DisbursementRules = DisbursementRules()
    library: LibraryRules = LibraryRules()
    credit: CreditRules = CreditRules()
    purchases: PurchaseRules = PurchaseRules()
    entities: EntityRules = EntityRules()
    assets: AssetRules = AssetRules()
