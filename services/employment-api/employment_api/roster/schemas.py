"""The roster as the API shows it (read only: the registry in monitoring-api is where members change)."""

from datetime import date

from pydantic import BaseModel, ConfigDict


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
