"""Worker and scheduler settings, read from WORKER_* environment variables."""

from pydantic import BaseModel
from pydantic_settings import SettingsConfigDict

from dixian_shared.settings import ServiceSettings

SCHEMA = "worker"


class ProvinceSettings(BaseModel):
    """The provincial monitoring system (省防返贫监测帮扶系统); no URL means pushes wait in the queue."""

    url: str | None = None
    api_key: str | None = None
    batch_size: int = 200
    timeout_seconds: float = 10.0


class SchedulerSettings(BaseModel):
    tick_seconds: float = 20.0
    misfire_grace_seconds: int = 3600
    timezone: str = "Asia/Shanghai"


class WorkerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WORKER_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "worker"
    db_schema: str = SCHEMA
    province: ProvinceSettings = ProvinceSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
