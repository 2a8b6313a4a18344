"""The declarative base of the monitoring schema and the mixins its models share."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, FromClause, Integer, Table, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from dixian_shared.db import schema_metadata
from dixian_shared.tables import declare_common_tables
from monitoring_api.settings import SCHEMA


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


COMMON = declare_common_tables(Base.metadata)


def table_of(model: type[Base]) -> Table:
    """The Table a model is mapped to, for Core inserts and updates (SQLAlchemy types `__table__` as any FromClause,
    since a model could map a join; none of ours does)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return table


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
