"""Cross-process contracts: the actors jobs are sent to by name, the event topics, and who subscribes to each."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dixian_shared.personal import MaskedItems


@dataclass(frozen=True)
class ActorRef:
    """An actor addressed by name, so a sender never imports the code that runs it."""

    name: str
    queue: str = "default"


class Topic(StrEnum):
    household_changed = "monitoring.household.changed"
    member_changed = "monitoring.member.changed"
    assessment_changed = "monitoring.assessment.changed"
    measure_changed = "monitoring.measure.changed"
    elimination_changed = "monitoring.elimination.changed"
    income_changed = "monitoring.income.changed"
    inclusion_changed = "monitoring.inclusion.changed"
    visit_changed = "monitoring.visit.changed"


class RecordChanged(BaseModel):
    """The payload of every monitoring topic: enough for a subscriber to fetch the record it cares about."""

    topic: Topic
    entity: str
    entity_id: int
    region_code: str
    action: str
    id_number: str | None = None


PROVINCIAL_RECORD_CHANGE = ActorRef("worker.provincial_record_change", "sync")
DELIVER_NOTIFICATIONS = ActorRef("worker.deliver_notifications", "default")
# The action of a change monitoring-api applied for the province: the worker neither pushes it back nor counts it as
# a change made here when it looks for conflicts.
PROVINCE_ACTION = "province"
CROSSCHECK_BATCH = ActorRef("monitoring.crosscheck_batch", "crosscheck")
WARNINGS_RECOMPUTE = ActorRef("monitoring.warnings_recompute", "default")
HOUSEHOLD_IMPORT = ActorRef("monitoring.household_import", "default")
WARNINGS_ON_CHANGE = ActorRef("monitoring.warnings_on_change", "events")
EMPLOYMENT_ROSTER_ON_CHANGE = ActorRef("employment.roster_on_change", "events")
EMPLOYMENT_LEDGER_UPLOAD = ActorRef("employment.ledger_upload", "default")

SUBSCRIBERS: dict[str, tuple[ActorRef, ...]] = {
    # A household's warnings follow its data: member facts (insurance, schooling, 低保) and the household itself.
    # The labour roster follows members and their household's category (employment-api fetches the member).
    Topic.household_changed: (PROVINCIAL_RECORD_CHANGE, WARNINGS_ON_CHANGE, EMPLOYMENT_ROSTER_ON_CHANGE),
    Topic.member_changed: (PROVINCIAL_RECORD_CHANGE, WARNINGS_ON_CHANGE, EMPLOYMENT_ROSTER_ON_CHANGE),
    Topic.assessment_changed: (PROVINCIAL_RECORD_CHANGE,),
    Topic.measure_changed: (PROVINCIAL_RECORD_CHANGE,),
    Topic.elimination_changed: (PROVINCIAL_RECORD_CHANGE,),
    Topic.inclusion_changed: (PROVINCIAL_RECORD_CHANGE,),
    Topic.visit_changed: (PROVINCIAL_RECORD_CHANGE,),
}

QUEUES = ("default", "sync", "events", "crosscheck")


class ServiceScope(StrEnum):
    """What a service key (role `service`) may do in another service."""

    deadlines = "deadlines"  # read GET /deadlines
    registry_read = "registry.read"  # read households and members of monitoring-api
    province_sync = "province.sync"  # apply the province's updates to monitoring-api's registry (the worker)


class RegistryMember(BaseModel):
    """A member as monitoring-api's `GET /service/members` gives it to a sibling service (scope registry.read)."""

    member_id: int
    household_id: int
    region_code: str
    id_number: str
    name: str
    sex: str
    birth_date: date
    labour_skill: str  # 劳动技能
    member_status: str  # 正常 / 死亡 / 迁出
    status_date: date | None
    household_category: str
    household_status: str  # 正常 / 注销


class RegistryMemberPage(MaskedItems):
    """One page of the feed. `observed_at` is when the database read it: a later read never shows older state, so
    a subscriber orders snapshots by it and ignores one older than what it holds (replayed or out-of-order events)."""

    items: list[RegistryMember]
    next_cursor: str | None = None
    observed_at: datetime


class DeadlineItem(BaseModel):
    """One deadline a place must meet, as the service that owns the records reports it on `GET /deadlines`.

    The worker asks every service for these and turns them into reminders; it never reads a service's tables.
    """

    kind: str  # stable code, e.g. "employment.village_ledger"
    label: str  # what the task is called, in Chinese, e.g. "村级就业台账填报"
    region_code: str  # the village, town or district that must act
    level: Literal["village", "town", "district"]
    nominal_deadline: date  # as the plan writes it (the 15th, 30 June …)
    effective_deadline: date  # the last working day on or before it (WorkdayCalendar.deadline)
    non_working_day: bool  # the nominal deadline falls on a weekend or holiday
    state: Literal["upcoming", "overdue"]
    count: int  # records concerned
    link: str  # API path of the list behind the count, e.g. "/ledger/2026-11/status?region_code=…"


class DeadlineReport(BaseModel):
    service: str
    on: date
    items: list[DeadlineItem]


class RegistryPerson(BaseModel):
    """A person as monitoring-api's registry knows them (`GET /service/people/{id_number}`, scope registry.read).

    Only what a sibling service needs to check eligibility: where the person lives, their household's category and
    whether they are still in the registry (正常) or have died (死亡) or moved away (迁出).
    """

    id_number: str
    member_id: int
    name: str
    member_status: str  # 正常 / 死亡 / 迁出
    status_date: date | None
    household_id: int
    household_category: str  # 一般农户 / 脱贫户 / 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户
    household_status: str  # 正常 / 注销
    region_code: str  # the household's village


class ServiceRecord(BaseModel):
    """A registry record as monitoring-api gives it to the worker for the province (`GET /service/records/{entity}`)."""

    entity: str  # household, member, assessment, measure, elimination, visit, inclusion_case
    id: int
    region_code: str
    data: dict[str, Any]  # the record as the service's own API reads it


class ServiceRecords(BaseModel):
    records: list[ServiceRecord]
    missing: list[int]  # asked for, not (or no longer) in the registry


class AssistanceStatus(StrEnum):
    """帮扶状态 of a monitoring subject as the province's system records it; the province's workflow owns it, so the
    registry takes it only from the province's updates (never from a user's PATCH)."""

    awaiting = "待帮扶"
    assisting = "帮扶中"
    completed = "帮扶完成"
    stopped = "终止帮扶"


# The items of an income verification, in the names of the national system's income form.
IncomeItem = Literal[
    "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "合规自付支出", "家庭纯收入"
]
Yuan = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


class IncomeVerification(BaseModel):
    """收入核实: the per-capita net income the province verified for a household and year (may be negative)."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2013, le=2100)
    per_capita_net_income: Yuan = Field(description="人均纯收入 as verified, yuan/year")
    verified_on: date = Field(description="核实日期")
    items: dict[IncomeItem, Yuan] = Field(
        default={}, description="the verified form's items, when the province sends them"
    )


class ProvinceUpdate(BaseModel):
    """A change the province made, as the worker pulls it and hands it to monitoring-api
    (`POST /service/province-updates`, scope province.sync). Each type carries its own fields:

    - `subject_identified`: `subject_kind`, `identified_on`, `risk_types` — the household becomes a monitoring subject
      included on that date (so the six-month rules count from it);
    - `assistance_status`: `assistance_status` — the household's provincial 帮扶状态, kept in its history;
    - `income_verified`: `income_verified` — stored per household and year and compared with the year's monitoring
      threshold; below it (or within the margin above it) the household gets a 收入线 warning from the province.

    The household is named by our id (`household_local_id`, for records we pushed) or by a member's ID number. The
    answer is `applied`, `unchanged` (nothing differs, or this `seq` — or a later one about the same thing — was
    applied already: a redelivery changes nothing) or `unmatched` (no such household here).
    """

    seq: int = Field(ge=1, le=2**62)
    type: Literal["subject_identified", "assistance_status", "income_verified"]
    # At most a resident ID's 18 characters: the worker keeps it in a column of that size.
    id_number: str | None = Field(default=None, max_length=18)
    household_local_id: int | None = Field(default=None, ge=1, le=2**62)
    identified_on: date | None = None
    subject_kind: str | None = None  # 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户
    risk_types: list[str] = []
    assistance_status: AssistanceStatus | None = None
    income_verified: IncomeVerification | None = None
    changed_at: datetime | None = Field(default=None, description="when the province made the change")


class ProvinceUpdateResult(BaseModel):
    seq: int
    outcome: Literal["applied", "unchanged", "unmatched"]
    household_id: int | None = None
