"""The declarative base of the employment schema and the mixins its models share."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, FromClause, Integer, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from dixian_shared.db import schema_metadata
from dixian_shared.tables import declare_common_tables
from employment_api.settings import SCHEMA


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


COMMON = declare_common_tables(Base.metadata)


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
