"""An uploaded ledger file and what became of it: the job resource of a large upload."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Identity, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column

from employment_api.models import Base, Timestamped


class UploadState(StrEnum):
    queued = "排队中"
    running = "处理中"
    applied = "已完成"
    refused = "已拒绝"  # rows with errors: nothing applied, the report says where
    failed = "失败"


class LedgerUpload(Timestamped, Base):
    __tablename__ = "ledger_upload"
    # Audited by hand (service.start_upload, service.apply): the automatic trail would copy the file into the log.
    __audited__ = False

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    month: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_format: Mapped[str | None] = mapped_column(String(10))
    # The file as sent: the worker reads it, and the error report marks its cells.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_role: Mapped[str] = mapped_column(String(20))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_reason: Mapped[str | None] = mapped_column(Text)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    failure: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
