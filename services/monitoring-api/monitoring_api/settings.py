"""monitoring-api settings, read from MONITORING_* environment variables."""

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from dixian_shared.settings import ServiceSettings
from dixian_shared.workdays import CalendarSettings
from monitoring_api.rules import RuleSettings

SCHEMA = "monitoring"


class ImportSettings(BaseModel):
    # Above this many rows a household import runs as a worker job (202 + a job resource) instead of in the request.
    job_rows: int = Field(default=3000, ge=1)


class DeadlineSettings(BaseModel):
    # GET /deadlines runs its rules side by side on this many connections of the pool (besides the request's), all
    # on one snapshot; 1 runs them one after another on one.
    connections: int = Field(default=3, ge=1, le=5)


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "monitoring-api"
    db_schema: str = SCHEMA
    rules: RuleSettings = RuleSettings()
    calendar: CalendarSettings = CalendarSettings()
    deadlines: DeadlineSettings = DeadlineSettings()  # MONITORING_DEADLINES__CONNECTIONS=3
    imports: ImportSettings = (
        ImportSettings()
    )  # MONITORING_IMPORTS__JOB_ROWS=3000  # MONITORING_CALENDAR__HOLIDAYS='["2027-01-01"]'
