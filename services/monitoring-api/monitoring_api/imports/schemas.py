"""Request options and the report of a household import."""

from enum import StrEnum

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
