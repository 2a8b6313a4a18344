"""The declarative base of the funds schema and the mixins its models share."""

from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, Enum, FromClause, Integer, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from dixian_shared.db import schema_metadata
from dixian_shared.tables import declare_common_tables
from funds_api.settings import SCHEMA


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


COMMON = declare_common_tables(Base.metadata)


def str_enum(enum: type[PyEnum], name: str, length: int = 20) -> Enum:
    """A Chinese-valued enumeration stored as its value in a VARCHAR with a CHECK (no native PostgreSQL type)."""
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=length)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=lambda: datetime.now(UTC)
    )


class Versioned:
    """A version counter for optimistic concurrency: it is the record's ETag."""

    if TYPE_CHECKING:
        __table__: ClassVar[FromClause]  # only mixed into models, whose table exists when the mapper args are read

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}
