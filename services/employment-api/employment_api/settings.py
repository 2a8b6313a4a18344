"""employment-api settings, read from EMPLOYMENT_* environment variables."""

from pydantic_settings import SettingsConfigDict

from dixian_shared.service_client import ServiceLink
from dixian_shared.settings import ServiceSettings
from dixian_shared.workdays import CalendarSettings
from employment_api.rules import RuleSettings

SCHEMA = "employment"


class EmploymentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EMPLOYMENT_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "employment-api"
    db_schema: str = SCHEMA
    rules: RuleSettings = RuleSettings()
    calendar: CalendarSettings = CalendarSettings()
    # monitoring-api, read with a service key holding the registry.read scope (roster sync and backfill).
    monitoring: ServiceLink = ServiceLink()
