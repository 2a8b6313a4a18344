"""The Dramatiq broker on Redis, and sending a message to an actor known only by name."""

from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from dixian_shared.contracts import QUEUES


def make_broker(redis_url: str, heartbeat_timeout_ms: int = 60_000, maintenance_chance: int = 1000) -> RedisBroker:
    """A worker that sent no heartbeat for `heartbeat_timeout_ms` is dead: the broker's maintenance (run on
    `maintenance_chance` of a million commands) puts the messages it had taken but not acknowledged back on their
    queues, so a job whose worker was killed runs again."""
    broker = RedisBroker(url=redis_url, heartbeat_timeout=heartbeat_timeout_ms, maintenance_chance=maintenance_chance)
    for queue in QUEUES:
        broker.declare_queue(queue)
    return broker


def send_by_name(
    broker: dramatiq.Broker, *, actor_name: str, queue_name: str, kwargs: dict[str, Any], message_id: str
) -> None:
    """Enqueue without importing the actor; the outbox row's id becomes the message id, so consumers can dedupe."""
    message: dramatiq.Message[Any] = dramatiq.Message(
        queue_name=queue_name, actor_name=actor_name, args=(), kwargs=kwargs, options={}, message_id=message_id
    )
    broker.enqueue(message)
