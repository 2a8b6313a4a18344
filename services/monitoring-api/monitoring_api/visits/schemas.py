"""Request and response bodies of pairings, visits and the overdue-visit list."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from dixian_shared.auth.principal import person_subject

Name = Annotated[str, Field(min_length=1, max_length=50)]
Phone = Annotated[str, Field(pattern=r"^[0-9+\- ]{5,20}$")]
USER_ID_PATTERN = r"^(user:)?[A-Za-z0-9_.@-]{1,75}$"
UserId = Annotated[
    str,
    Field(pattern=USER_ID_PATTERN, description="the cadre's token subject, `user:<id>` (a bare id means the same)"),
    AfterValidator(person_subject),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class PairingCreate(BaseModel):
    household_id: Annotated[int, Field(ge=1, le=2**62)]
    cadre_user_id: UserId | None = None
    cadre_name: Name | None = None
    cadre_phone: Phone | None = None
    since: date

    @model_validator(mode="after")
    def cadre_is_known(self) -> Self:
        if self.cadre_user_id is None and (self.cadre_name is None or self.cadre_phone is None):
            raise ValueError("give cadre_user_id, or cadre_name and cadre_phone")
        return self


class PairingEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: date
    reason: Text | None = None


class PairingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    cadre_user_id: str | None
    cadre_name: str | None
    cadre_phone: str | None
    since: date
    until: date | None
    end_reason: str | None
    version: int


class VisitCreate(BaseModel):
    visited_on: date
    cadre: Name | None = Field(default=None, description="the visiting cadre; defaults to the caller or the pairing")
    findings: Text
    problems_raised: Text | None = None


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    pairing_id: int | None
    cadre_user_id: str | None
    cadre_name: str
    visited_on: date
    findings: str
    problems_raised: str | None
    created_at: datetime
    version: int


class GroupBy(StrEnum):
    cadre = "cadre"
    village = "village"
    town = "town"


class OverdueVisit(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    household_id: int
    region_code: str
    head_name: str
    category: str
    cadence_months: int
    last_visited_on: date | None
    due_on: date = Field(description="the last visit (or the pairing/inclusion/registration) + cadence months")
    pairing_id: int | None
    cadre_user_id: str | None
    cadre_name: str | None


class OverdueCount(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str | None = Field(description="region code, or the cadre's user id (else phone); null: no active pairing")
    name: str | None
    count: int


class OverdueVisits(BaseModel):
    items: list[OverdueVisit]
    next_cursor: str | None = None
    group_by: GroupBy | None = None
    counts: list[OverdueCount] | None = Field(default=None, description="over the whole scope, not only this page")
