"""Worker, scheduler and worker-api settings, read from WORKER_* environment variables."""

import tempfile
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from dixian_shared.service_client import ServiceLink
from dixian_shared.settings import ServiceSettings
from dixian_shared.workdays import CalendarSettings

SCHEMA = "worker"


class ProvinceSettings(BaseModel):
    """The provincial monitoring system (省防返贫监测帮扶系统); no URL means pushes wait in the queue."""

    url: str | None = None
    api_key: str | None = None
    batch_size: int = 200
    timeout_seconds: float = 10.0
    max_attempts: int = Field(default=8, ge=1, description="a record failing this often goes to the dead letters")
    backoff_seconds: float = Field(default=30.0, ge=0, description="first retry delay; doubles each attempt")
    backoff_max_seconds: float = 3600.0
    pull_page_size: int = 500


class SchedulerSettings(BaseModel):
    tick_seconds: float = 20.0
    misfire_grace_seconds: int = 3600
    timezone: str = "Asia/Shanghai"
    heartbeat_file: Path = Path(tempfile.gettempdir()) / "dixian-scheduler.alive"  # touched after every good tick


class ReminderSettings(BaseModel):
    """When reminders go out: `lead_workdays` working days before a deadline, and once more when it is missed."""

    lead_workdays: int = Field(default=3, ge=0, description="working days before the (effective) deadline")
    run_on_non_working_days: bool = Field(default=False, description="staff are off: reminders wait for a workday")
    link_base: str = Field(default="", description="prefix for the links in messages, e.g. the front end's URL")


class WebhookSettings(BaseModel):
    """The outgoing webhook of an SMS or messaging gateway; no URL means the inbox only."""

    url: str | None = None
    secret: str = Field(default="", description="HMAC-SHA256 key shared with the gateway")
    batch_size: int = Field(default=200, ge=1, description="messages per POST")
    concurrency: int = Field(default=4, ge=1, description="POSTs in flight at once")
    timeout_seconds: float = 10.0
    max_attempts: int = Field(default=6, ge=1, description="after the last failed try a message is dead-lettered")
    backoff_seconds: float = Field(default=30.0, ge=0, description="first retry delay; doubles each attempt")
    backoff_max_seconds: float = 3600.0


class WorkerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WORKER_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "worker"
    db_schema: str = SCHEMA
    province: ProvinceSettings = ProvinceSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    reminders: ReminderSettings = ReminderSettings()
    webhook: WebhookSettings = WebhookSettings()
    calendar: CalendarSettings = CalendarSettings()
    # The services asked for their deadlines (GET /deadlines, a service key with the `deadlines` scope) and, for
    # monitoring, the records pushed to the province (scope `registry.read`).
    monitoring: ServiceLink = ServiceLink()
    funds: ServiceLink = ServiceLink()
    employment: ServiceLink = ServiceLink()

    def deadline_sources(self) -> dict[str, ServiceLink]:
        return {"monitoring-api": self.monitoring, "funds-api": self.funds, "employment-api": self.employment}
