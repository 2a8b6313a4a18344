"""The upload job resource."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class CellError(BaseModel):
    row: int
    column: str
    message: str


class UploadRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    region_code: str
    month: date
    state: str  # 排队中 / 处理中 / 已完成 / 已拒绝 / 失败
    file_name: str | None
    file_format: str | None
    late: bool
    rows_read: int
    accepted: int  # rows without an error
    refused: int  # rows with at least one error: then nothing is applied
    inserted: int
    updated: int
    errors: list[CellError]
    failure: str | None
    created_at: datetime
    finished_at: datetime | None
    error_report: str | None = None  # the sheet with its bad cells marked
