"""monitoring-api settings, read from MONITORING_* environment variables."""

from pydantic_settings import SettingsConfigDict

from dixian_shared.settings import ServiceSettings
from dixian_shared.workdays import CalendarSettings
from monitoring_api.rules import RuleSettings

SCHEMA = "monitoring"


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "monitoring-api"
    db_schema: str = SCHEMA
    rules: RuleSettings = RuleSettings()
    calendar: CalendarSettings = CalendarSettings()  # MONITORING_CALENDAR__HOLIDAYS='["2027-01-01"]'
