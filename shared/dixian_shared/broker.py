"""The process-wide Dramatiq broker that every actor module declares its actors on.

Dramatiq binds an actor to a broker when the module is imported, so the broker is made here, once, from
WORKER_REDIS__URL, with the middleware every actor may rely on (async actors, cron schedules). Importing this
module opens no connection; Redis is reached when a message is sent or consumed.
"""

import dramatiq
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


_settings = BrokerSettings()
broker = make_broker(_settings.redis.url, _settings.heartbeat_timeout_ms, _settings.maintenance_chance)
broker.add_middleware(AsyncIO())
broker.add_middleware(Schedules())
# In `dramatiq` worker processes only: metrics of every process on :9191 (dramatiq_prom_port), used by health checks.
broker.add_middleware(Prometheus())
dramatiq.set_broker(broker)
