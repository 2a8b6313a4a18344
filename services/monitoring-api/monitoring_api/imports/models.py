"""A household import run as a worker job: the file as sent, its state and progress, its report."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Integer, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column

from monitoring_api.models import Base, Timestamped


class ImportState(StrEnum):
    queued = "排队中"
    running = "导入中"
    done = "已完成"
    refused = "已拒绝"  # the file or its rows were refused (strict mode): nothing written, the report says why
    failed = "失败"  # an unexpected error; nothing written


class HouseholdImport(Timestamped, Base):
    __tablename__ = "household_import"
    # Audited by hand (imports.service records the import): the automatic trail would copy the file into the log.
    __audited__ = False

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)  # the importer's region: who may read it
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_role: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    region_filter: Mapped[str | None] = mapped_column(String(12))
    file_name: Mapped[str | None] = mapped_column(String(200))
    # The file as sent: the worker reads it, and the error workbook marks its cells.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    state: Mapped[ImportState] = mapped_column(String(10), default=ImportState.queued)
    rows_estimated: Mapped[int] = mapped_column(Integer)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_refused: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
