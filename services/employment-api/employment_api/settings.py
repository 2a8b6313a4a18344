"""employment-api settings, read from EMPLOYMENT_* environment variables."""

from pydantic_settings import SettingsConfigDict

from dixian_shared.settings import ServiceSettings

SCHEMA = "employment"


class EmploymentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EMPLOYMENT_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "employment-api"
    db_schema: str = SCHEMA
