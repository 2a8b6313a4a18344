"""funds-api settings, read from FUNDS_* environment variables."""

from pydantic_settings import SettingsConfigDict

from dixian_shared.service_client import ServiceLink
from dixian_shared.settings import ServiceSettings
from dixian_shared.workdays import CalendarSettings
from funds_api.rules import FundsRules

SCHEMA = "funds"


class FundsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FUNDS_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "funds-api"
    db_schema: str = SCHEMA
    rules: FundsRules = FundsRules()
    calendar: CalendarSettings = CalendarSettings()
    # monitoring-api's registry, read with a service key holding the registry.read scope (microcredit borrowers).
    monitoring: ServiceLink = ServiceLink(url="http://127.0.0.1:8001")
