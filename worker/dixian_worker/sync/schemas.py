"""The sync state, ledger rows, conflicts and replays as the worker API shows them."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class RunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, int]
    error: str | None


class SyncState(BaseModel):
    last_push: RunRead | None
    last_pull: RunRead | None
    last_successful_push_at: datetime | None
    last_successful_pull_at: datetime | None
    pull_cursor: int = Field(description="the province's change feed is read after this sequence number")
    backlog: int = Field(description="changes waiting to be pushed (待推送)")
    parked: int = Field(description="refused by the province (已搁置)")
    dead: int = Field(description="failed every try (死信)")
    conflicts: int = Field(description="changed on both sides, waiting for the district (待处理)")
    unmatched: int = Field(description="province updates naming a household the registry does not have (未匹配)")
    refused: int = Field(default=0, description="province updates unreadable or refused as bad input (已拒绝)")


class LedgerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    message_id: Any
    topic: str
    entity: str
    entity_id: int
    region_code: str
    status: str
    attempts: int
    ack: str | None
    reason: str | None
    last_error: str | None
    received_at: datetime
    pushed_at: datetime | None


class LedgerReplay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["已搁置", "死信"]
    ids: list[int] | None = Field(default=None, max_length=10_000, description="omitted: every row in that status")


class InboundReplay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["已拒绝", "未匹配"]
    seqs: list[Annotated[int, Field(ge=1, le=2**62)]] | None = Field(
        default=None, max_length=10_000, description="the updates' seq; omitted: every update in that status"
    )


class Replayed(BaseModel):
    replayed: int


class ConflictRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    seq: int
    household_local_id: int | None
    id_number: str | None
    local_changes: list[dict[str, Any]]
    province_update: dict[str, Any]
    status: str
    kept: str | None
    note: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    created_at: datetime


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep: Literal["province", "local"] = Field(
        description="province: apply the province's update; local: keep ours and push it to the province again"
    )
    note: str | None = Field(default=None, max_length=500)


class InboundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    type: str
    household_local_id: int | None
    id_number: str | None
    status: str
    received_at: datetime
    applied_at: datetime | None
    error: str | None = Field(description="why it is 已拒绝 or 未匹配 (monitoring-api's answer), or the last failure")
