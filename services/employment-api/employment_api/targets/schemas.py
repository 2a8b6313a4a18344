"""Target figures and the people behind them."""

from pydantic import BaseModel, Field


class Figures(BaseModel):
    labourers: int  # on the roster that month
    employed_lifted: int
    public_welfare_lifted: int
    in_workshops: int
    zero_employment_households: int


class Place(BaseModel):
    region_code: str
    name: str


class PlaceFigures(Figures, Place):
    links: dict[str, str]  # each figure's list of people (or households)


class PlaceRow(Figures, Place):
    """A place's figures as a row of the targets' export (the links to the people stay in the API)."""


class Goals(BaseModel):
    employed_lifted: int  # at least
    public_welfare_lifted: int  # at least
    in_workshops: int  # not below the 2023 baseline


class TargetReport(BaseModel):
    month: str
    goals: Goals
    met: dict[str, bool]  # the caller's whole region against each goal
    total: PlaceFigures
    towns: list[PlaceFigures]
    villages: list[PlaceFigures]


class TargetPerson(BaseModel):
    labourer_id: int
    name: str
    household_id: int
    region_code: str
    household_category: str
    status: str | None
    entry_id: int | None


class ZeroEmploymentHousehold(BaseModel):
    household_id: int
    region_code: str
    labourers: int
    labourer_ids: list[int]
    labourer_names: list[str] = Field(description="姓名 of each labourer, in the order of labourer_ids")
