"""The roster as the API shows it (read only: the registry in monitoring-api is where members change)."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class LabourerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    household_id: int
    region_code: str
    id_number: str
    name: str
    sex: str
    birth_date: date
    labour_skill: str
    household_category: str
    member_status: str
    status_date: date | None
    qualifies: bool
    left_on: date | None
    version: int


class Named(BaseModel):
    """Who a list's item is about, named from the roster (employment.labourer) so nobody has to look the id up.

    A list's item class takes it after its read class (`class XItem(XRead, Named)`): pydantic then puts these fields
    first, so the export's first columns say who (as the targets' list of people does). Names are shown in lists as
    monitoring-api shows them; ID numbers are never added here (lists mask them, see dixian_shared.personal).
    """

    labourer_id: int
    name: str = Field(description="姓名: the labourer's name on the roster")


class Person(Named):
    """Named, with the household and village the roster holds for the labourer now."""

    household_id: int = Field(description="the labourer's household in the registry")
    region_code: str = Field(description="the labourer's village")
