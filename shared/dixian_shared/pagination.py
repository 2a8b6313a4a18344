"""Keyset (cursor) pagination: a stable order on a unique key, an opaque cursor, no OFFSET."""

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared.errors import InvalidField

T = TypeVar("T")

MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description="next_cursor of the previous page")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([v if isinstance(v, int | str | None) else str(v) for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise InvalidField("query.cursor", "not a cursor this API issued") from None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidField("query.cursor", "not a cursor this API issued")
    return values


def _typed(key: ColumnElement[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("out of range")
    if isinstance(value, str) and ("\x00" in value or len(value) > 200):
        raise ValueError("not a key")
    python_type = key.type.python_type
    if python_type in (date, datetime):
        return python_type.fromisoformat(value)
    return python_type(value)


def apply_keyset(stmt: Select[Any], keys: Sequence[ColumnElement[Any]], params: PageParams) -> Select[Any]:
    """Order by the keys (ascending, the last one unique) and start after the cursor; fetch one extra row."""
    if params.cursor:
        after = decode_cursor(params.cursor, len(keys))
        try:
            after = [_typed(key, v) for key, v in zip(keys, after, strict=True)]
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            raise InvalidField("query.cursor", "not a cursor this API issued") from None
        stmt = stmt.where(tuple_(*keys) > tuple_(*after))
    return stmt.order_by(*keys).limit(params.limit + 1)


def make_page(rows: Sequence[Any], params: PageParams, key_of: Any) -> tuple[list[Any], str | None]:
    """Cut the extra row off and make the cursor from the last row kept."""
    items = list(rows[: params.limit])
    next_cursor = encode_cursor(key_of(items[-1])) if len(rows) > params.limit else None
    return items, next_cursor
