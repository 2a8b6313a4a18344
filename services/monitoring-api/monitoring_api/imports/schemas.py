"""Request options and the report of a household import."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ImportMode(StrEnum):
    strict = "strict"
    skip_bad_rows = "skip_bad_rows"


class RowError(BaseModel):
    row: int = Field(description="row number as a spreadsheet shows it; the header is row 1")
    field: str = Field(description="the column (Chinese name) at fault")
    reason: str


class ImportReport(BaseModel):
    import_id: str
    mode: ImportMode
    file_format: str = Field(description="csv or xlsx")
    encoding: str | None = Field(description="of a CSV file: utf-8, utf-8-sig (with BOM) or gb18030")
    rows: int = Field(description="member rows read")
    households: int = Field(description="distinct 户编号 read")
    imported_households: int
    imported_members: int
    rejected_rows: int = Field(description="rows not imported (bad, or in a skipped household)")
    skipped_households: int
    errors: list[RowError]
    errors_truncated: bool = Field(description="more rows were rejected than `errors` lists")


class ImportJobRead(BaseModel):
    """A household import run by the worker: its state and progress, then its report (or why it was refused)."""

    id: int
    state: str = Field(description="排队中, 导入中, 已完成, 已拒绝 (nothing written; see problem) or 失败")
    file_name: str | None
    mode: ImportMode
    region_filter: str | None
    rows_estimated: int = Field(description="data rows counted in the file when it was received")
    rows_read: int
    rows_accepted: int
    rows_refused: int
    report: ImportReport | None
    problem: dict[str, Any] | None = Field(description="the problem a request would have answered, if refused")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
