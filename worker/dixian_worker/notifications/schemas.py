"""The inbox and the delivery log as the worker API shows them."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slot: str
    recipient: str
    region_code: str
    role: str
    title: str
    body: str
    summary: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    unread: int


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    at: datetime
    status_code: int | None
    outcome: str
    error: str | None


class DeliveryRead(BaseModel):
    """A message's gateway delivery: 待发送 / 已送达 / 死信, every try with its answer; none when no gateway is set."""

    notification_id: int
    recipient: str
    title: str
    status: str | None
    attempts: int
    delivered_at: datetime | None
    last_error: str | None
    log: list[AttemptRead]


class DeadLetter(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    notification_id: int
    recipient: str
    title: str
    attempts: int
    last_error: str | None


class Replay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notification_ids: list[int] | None = Field(
        default=None, max_length=10_000, description="the dead letters to send again; omitted: all of them"
    )


class Replayed(BaseModel):
    replayed: int
