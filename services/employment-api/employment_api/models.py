"""The declarative base of the employment schema."""

from sqlalchemy.orm import DeclarativeBase

from dixian_shared.db import schema_metadata
from dixian_shared.tables import declare_common_tables
from employment_api.settings import SCHEMA


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


COMMON = declare_common_tables(Base.metadata)
