"""The funds rules with numbers (DOMAIN.md, "Rules with numbers"): configuration with the work plan's defaults.

Read from FUNDS_RULES__* (e.g. FUNDS_RULES__CENTRAL_INDUSTRY_MIN_SHARE=0.7). Every field has a test that fails if
the rule it drives is broken. Each domain keeps its own block here so that one settings object carries them all.
"""

import calendar
from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, Field, model_validator

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


class FundsRules(BaseModel):
    central_industry_min_share: Decimal = Field(
        default=Decimal("0.65"), gt=0, le=1, description="§7: central connection funds spent on 产业 projects"
    )
    disbursement: DisbursementRules = DisbursementRules()
    library: LibraryRules = LibraryRules()
