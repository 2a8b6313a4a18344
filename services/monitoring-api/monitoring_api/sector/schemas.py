"""Request and response bodies for batches, cross-check jobs and discrepancies."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from monitoring_api.sector.enums import BatchState, CheckRule, DataType, Department, DiscrepancyStatus, JobState

Period = Annotated[
    str, Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$", examples=["2024-05"], description="YYYY or YYYY-MM")
]


class BatchOpen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_type: DataType
    period: Period
    department_batch_id: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            pattern=r"^[A-Za-z0-9._:\-]+$",
            description="the department's own id; opening the same id again returns the same batch",
        ),
    ]


class PartRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    part_number: int
    sha256: str | None
    format: str
    encoding: str
    bytes: int
    rows_received: int
    rows_accepted: int
    rows_rejected: int
    received_at: datetime


class JobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    batch_id: int
    state: JobState
    rows_loaded: int = Field(description="accepted rows of the batch, staged for comparison")
    rows_compared: int = Field(description="staged rows compared with the registry (all of them once done)")
    rules_total: int
    rules_done: int
    discrepancies_found: int = Field(description="discrepancies this batch shows (new or still open)")
    discrepancies_new: int
    discrepancies_resolved: int = Field(description="open discrepancies this batch shows resolved, closed as 已处理")
    attempts: int
    error: str | None
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class BatchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    department: Department
    data_type: DataType
    period: str
    department_batch_id: str
    region_code: str
    state: BatchState
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    as_of: date | None = Field(description="the day the batch was closed; deadlines and ages are counted to it")
    rows_received: int
    rows_accepted: int
    rows_rejected: int


class BatchDetail(BatchRead):
    parts: list[PartRead]
    job: JobRead | None


class RowError(BaseModel):
    part_number: int
    line_number: int = Field(description="the line in the part; a CSV header is line 1")
    errors: list[dict[str, str]]
    data: dict[str, Any] | None


class DiscrepancyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    department: Department
    data_type: DataType
    rule: CheckRule
    subject_key: str
    region_code: str
    member_id: int | None
    household_id: int | None
    id_number: str | None
    registry_data: dict[str, Any]
    department_data: dict[str, Any]
    status: DiscrepancyStatus
    note: str | None
    acted_by: str | None
    acted_by_name: str | None
    acted_at: datetime | None
    first_batch_id: int
    last_batch_id: int
    resolved_batch_id: int | None
    created_at: datetime
    updated_at: datetime
    version: int


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: DiscrepancyStatus
    to_status: DiscrepancyStatus
    note: str | None
    actor: str
    actor_name: str | None
    at: datetime


class DiscrepancyDetail(DiscrepancyRead):
    actions: list[ActionRead]


class DiscrepancyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: DiscrepancyStatus
    note: Annotated[str, Field(min_length=1, max_length=2000)] | None = None


class DiscrepancyCount(BaseModel):
    region_code: str
    rule: CheckRule
    total: int
    pending: int = Field(description="待核实")
    verified: int = Field(description="已核实")
    handled: int = Field(description="已处理")
    false_alarm: int = Field(description="误报")


class DiscrepancyCounts(BaseModel):
    items: list[DiscrepancyCount]
