"""Keyset (cursor) pagination: a stable order on a unique key, an opaque cursor, no OFFSET."""

import base64
import json
import math
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, SQLColumnExpression, tuple_
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared.errors import InvalidField
from dixian_shared.personal import MaskedItems

T = TypeVar("T")
Row = TypeVarTuple("Row")

MAX_LIMIT = 500
MAX_KEY_CHARS = 200
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class Page(MaskedItems, Generic[T]):
    """A page of a list. ID numbers and phone numbers in it are masked when serialised (personal.mask_personal),
    for every list of every service, unless the caller is another Dixian service."""

    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description="next_cursor of the previous page")] = None,
) -> PageParams:
    if cursor:
        decode_cursor(cursor)  # a forged cursor is refused before any lookup, on every list alike
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([v if isinstance(v, int | str | None) else str(v) for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _not_issued() -> InvalidField:
    return InvalidField("query.cursor", "not a cursor this API issued", "不是本接口给出的分页游标")


def _is_key_value(value: Any) -> bool:
    """What encode_cursor writes: a 64-bit integer, a short string without NUL, or null. Anything else (floats,
    Infinity, NaN, booleans, lists, objects) was forged."""
    if value is None:
        return True
    if type(value) is int:
        return INT64_MIN <= value <= INT64_MAX
    return type(value) is str and len(value) <= MAX_KEY_CHARS and "\x00" not in value


def decode_cursor(cursor: str, arity: int | None = None) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _not_issued() from None
    if not isinstance(values, list) or not values or not all(_is_key_value(v) for v in values):
        raise _not_issued()
    if arity is not None and len(values) != arity:
        raise _not_issued()
    return values


def _column(key: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """The column behind a key: a mapped attribute's expression, or the Core column itself."""
    if isinstance(key, QueryableAttribute):
        return key.expression
    if isinstance(key, ColumnElement):
        return key
    raise TypeError(f"not a column: {key!r}")


def _typed(key: SQLColumnExpression[Any], value: Any) -> Any:
    if value is None:
        return None
    python_type = _column(key).type.python_type
    if python_type in (date, datetime):
        return python_type.fromisoformat(value)
    typed = python_type(value)
    if isinstance(typed, int) and not INT64_MIN <= typed <= INT64_MAX:
        raise ValueError("out of range")
    if isinstance(typed, Decimal | float) and not math.isfinite(typed):
        raise ValueError("not finite")
    return typed


def keyset_after(keys: Sequence[SQLColumnExpression[Any]], params: PageParams) -> list[Any] | None:
    """The key values the cursor names, typed as the key columns (refused as not issued if they do not fit)."""
    if not params.cursor:
        return None
    after = decode_cursor(params.cursor, len(keys))
    try:
        return [_typed(key, v) for key, v in zip(keys, after, strict=True)]
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, AttributeError):
        raise _not_issued() from None


def apply_keyset(stmt: Select[*Row], keys: Sequence[SQLColumnExpression[Any]], params: PageParams) -> Select[*Row]:
    """Order by the keys (ascending, the last one unique) and start after the cursor; fetch one extra row."""
    after = keyset_after(keys, params)
    if after is not None:
        stmt = stmt.where(tuple_(*keys) > tuple_(*after))
    return stmt.order_by(*keys).limit(params.limit + 1)


def make_page(rows: Sequence[Any], params: PageParams, key_of: Any) -> tuple[list[Any], str | None]:
    """Cut the extra row off and make the cursor from the last row kept."""
    items = list(rows[: params.limit])
    next_cursor = encode_cursor(key_of(items[-1])) if len(rows) > params.limit else None
    return items, next_cursor
