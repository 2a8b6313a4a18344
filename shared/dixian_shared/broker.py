"""The process-wide Dramatiq broker that every actor module declares its actors on.

Dramatiq binds an actor to a broker when the module is imported, so the broker is made here, once, from
WORKER_REDIS__URL, with the middleware every actor may rely on (async actors, cron schedules). Importing this
module opens no connection; Redis is reached when a message is sent or consumed.
"""

from typing import Any

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.middleware import AsyncIO
from dramatiq.middleware.prometheus import Prometheus
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dixian_shared.jobs import Schedules
from dixian_shared.queue import make_broker
from dixian_shared.settings import RedisSettings


class BrokerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WORKER_", env_nested_delimiter="__", extra="ignore")

    redis: RedisSettings = RedisSettings()
    # How soon a killed worker's unacknowledged messages are redelivered (WORKER_HEARTBEAT_TIMEOUT_MS): long enough
    # that a busy but live worker is never taken for dead; tests that kill workers shorten it.
    heartbeat_timeout_ms: int = Field(default=60_000, ge=1000)
    maintenance_chance: int = Field(default=1000, ge=1, le=1_000_000)


class WorkerMetrics(Prometheus):
    """dramatiq's Prometheus middleware, inert in a process the `dramatiq` command did not boot.

    Its metrics exist only after `after_process_boot`, which only the command runs; a worker started in process (the
    tests, a benchmark) would otherwise fail every message on the missing metrics.
    """

    booted = False

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        super().after_process_boot(broker)
        self.booted = True

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.booted:
            super().after_worker_shutdown(broker, worker)

    def after_nack(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        if self.booted:
            super().after_nack(broker, message)

    def after_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message[Any], delay: int | None) -> None:
        if self.booted:
            super().after_enqueue(broker, message, delay)

    def before_delay_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        if self.booted:
            super().before_delay_message(broker, message)

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        if self.booted:
            super().before_process_message(broker, message)

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        if self.booted:
            super().after_process_message(broker, message, result=result, exception=exception)

    after_skip_message = after_process_message


_settings = BrokerSettings()
broker = make_broker(_settings.redis.url, _settings.heartbeat_timeout_ms, _settings.maintenance_chance)
broker.add_middleware(AsyncIO())
broker.add_middleware(Schedules())
# In `dramatiq` worker processes only: metrics of every process on :9191 (dramatiq_prom_port), used by health checks.
broker.add_middleware(WorkerMetrics())
dramatiq.set_broker(broker)
