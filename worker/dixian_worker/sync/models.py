"""Sync runs, the pull checkpoint, the province's updates as received, and conflicts for the district."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dixian_worker.models import Base


class SyncRun(Base):
    """One push or pull run: 进行中 until it ends 成功 or 失败 (never 成功 when any part failed)."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # push / pull
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), server_default="进行中")
    counts: Mapped[dict[str, int]] = mapped_column(JSONB, server_default="{}")
    error: Mapped[str | None] = mapped_column(Text)


class Checkpoint(Base):
    """Where the pull stands in the province's change feed, advanced in the same transaction as each page."""

    __tablename__ = "province_checkpoint"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # end of the last page read


class InboundUpdate(Base):
    """A change the province made, as pulled: 待应用 → 已应用 / 无变化 / 未匹配, or 冲突 / 保留本地; 已拒绝 when it
    is not the contract's shape or monitoring-api refuses it as bad input (the reason in `error`). Rows pulled before
    every type was applied may say 已记录."""

    __tablename__ = "province_inbound"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    type: Mapped[str] = mapped_column(String(30))
    household_local_id: Mapped[int | None] = mapped_column(BigInteger)
    id_number: Mapped[str | None] = mapped_column(String(18))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class Conflict(Base):
    """A household changed here and at the province since the last sync: a district user keeps one side."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    seq: Mapped[int] = mapped_column(ForeignKey("province_inbound.seq"), unique=True)
    household_local_id: Mapped[int | None] = mapped_column(BigInteger)
    id_number: Mapped[str | None] = mapped_column(String(18))
    local_changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    province_update: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(10), server_default="待处理")
    kept: Mapped[str | None] = mapped_column(String(10))  # province / local
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
