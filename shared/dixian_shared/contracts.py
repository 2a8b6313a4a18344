"""Cross-process contracts: the actors jobs are sent to by name, the event topics, and who subscribes to each."""

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel


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


class RecordChanged(BaseModel):
    """The payload of every monitoring topic: enough for a subscriber to fetch the record it cares about."""

    topic: Topic
    entity: str
    entity_id: int
    region_code: str
    action: str
    id_number: str | None = None


PROVINCIAL_RECORD_CHANGE = ActorRef("worker.provincial_record_change", "sync")
CROSSCHECK_BATCH = ActorRef("monitoring.crosscheck_batch", "crosscheck")
WARNINGS_RECOMPUTE = ActorRef("monitoring.warnings_recompute", "default")
WARNINGS_ON_CHANGE = ActorRef("monitoring.warnings_on_change", "events")

SUBSCRIBERS: dict[str, tuple[ActorRef, ...]] = {
    # A household's warnings follow its data: member facts (insurance, schooling, 低保) and the household itself.
    Topic.household_changed: (PROVINCIAL_RECORD_CHANGE, WARNINGS_ON_CHANGE),
    Topic.member_changed: (PROVINCIAL_RECORD_CHANGE, WARNINGS_ON_CHANGE),
    Topic.assessment_changed: (PROVINCIAL_RECORD_CHANGE,),
    Topic.measure_changed: (PROVINCIAL_RECORD_CHANGE,),
    Topic.elimination_changed: (PROVINCIAL_RECORD_CHANGE,),
}

QUEUES = ("default", "sync", "events", "crosscheck")
