"""Personal data: resident ID numbers and phone numbers masked in every list and export (one function for all),
shown in full on a single record only to the roles that need it, and each such read audited (who read whom, when).

Masking goes by field name (`id_number`, `…_id_number`, `phone`, `…_phone`) and, for ID numbers, by the value too:
any string that is an 18-character resident ID number is masked wherever it sits (a discrepancy's subject key, a
department's raw data, an audit entry's before/after), so a field added later is covered without being named here.
"""

import functools
import re
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, SerializerFunctionWrapHandler, model_serializer
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.settings import PersonalDataSettings

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
_FULL_VIEW: ContextVar[bool] = ContextVar("dixian_full_personal_data", default=False)


def mask_id_number(value: str) -> str:
    """360702198001011234 → 360702********1234: the place of registration and the last four stay readable (an old
    15-digit number alike). A value of ten characters or fewer is not an ID number; showing any of it would show
    most of it, so all of it is hidden."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13900001234 → 139****1234; any other number keeps only its last four digits."""
    if len(value) == 11 and value.isascii() and value.isdigit():  # a mobile number, most of them: no walk needed
        return value[:3] + "****" + value[7:]
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    keep = set(digits[:3] + digits[-4:]) if len(digits) == 11 else set(digits[-4:])
    return "".join(c if (i in keep or not c.isdigit()) else "*" for i, c in enumerate(value))


def mask_text(text: str) -> str:
    """Every resident ID number inside a text masked (log lines, messages)."""
    return ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)


@functools.lru_cache(maxsize=4096)
def _kind(name: str) -> str | None:
    """What a field holds by its name (a list's items repeat the same few names: looked up once each)."""
    if name == "id_number" or name.endswith("_id_number"):
        return "id"
    if name == "phone" or name.endswith("_phone"):
        return "phone"
    return None


_PLAIN = frozenset({int, float, bool, type(None)})


def _mask_as(kind: str | None, value: Any) -> Any:
    value_type = type(value)
    if value_type in _PLAIN:
        return value
    if isinstance(value, str):
        if kind == "id":
            return mask_id_number(value)
        if kind == "phone":
            return mask_phone(value)
        # An ID number is 18 characters: a shorter string (most of a record's values) needs no regular expression.
        return mask_text(value) if len(value) >= 18 and ID_NUMBER.search(value) else value
    if isinstance(value, list | tuple):
        return [_mask_as(kind, v) for v in value]
    if isinstance(value, dict):
        return mask_personal(value)
    return value


def mask_personal(data: Any) -> Any:
    """The data (dicts, lists, strings, as JSON holds them) with every ID number and phone number masked."""
    if not isinstance(data, dict):
        return _mask_as(None, data)
    masked = {}
    for key, value in data.items():  # a list's every value passes here: the common cases without a call
        value_type = type(value)
        if value_type in _PLAIN or (value_type is str and len(value) < 18 and _kind(str(key)) is None):
            masked[key] = value
        else:
            masked[key] = _mask_as(_kind(str(key)), value)
    return masked


def mask_field(name: str, value: Any) -> Any:
    """One named value (an export cell) masked as mask_personal would mask it inside a record."""
    return _mask_as(_kind(name), value)


def set_full_view(on: bool) -> None:
    """For this request: lists show personal data in full (only another Dixian service, which needs the numbers to
    match people across services)."""
    _FULL_VIEW.set(on)


def full_view() -> bool:
    return _FULL_VIEW.get()


async def disclose(
    session: AsyncSession, principal: Principal, settings: PersonalDataSettings, entity: str, entity_id: object
) -> bool:
    """Whether this caller sees one record's ID and phone numbers in full. A person's full read is audited as a
    `read` of the record (who, when, whom); another Dixian service reads in full without an audit row per record."""
    if principal.role == Role.service:
        return True
    if str(principal.role) not in settings.full_record_roles:
        return False
    await audit.record(session, entity, str(entity_id), "read", {})
    return True


class MaskedItems(BaseModel):
    """A list's body: its `items` are masked when serialised, unless the caller is another Dixian service."""

    @model_serializer(mode="wrap")
    def _masked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if "items" in data and not full_view():
            data["items"] = mask_personal(data["items"])
        return data


M = TypeVar("M", bound=BaseModel)


def mask_model(model: M) -> M:
    """A read model with its ID and phone numbers masked, nested models included (a copy; nothing re-validated, so
    a field's pattern never refuses the mask)."""
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            update[name] = mask_model(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            update[name] = [mask_model(v) for v in value]
        elif isinstance(value, str | list | dict):
            update[name] = mask_field(name, value)
    return model.model_copy(update=update)


async def as_seen_by(
    session: AsyncSession,
    principal: Principal,
    settings: PersonalDataSettings,
    record: M,
    entity: str,
    entity_id: object,
) -> M:
    """One record as this caller may see it: in full, the read audited, for the roles that need it; else masked."""
    if await disclose(session, principal, settings, entity, entity_id):
        return record
    return mask_model(record)


async def get_settings(request: Request) -> PersonalDataSettings:
    return request.app.state.ctx.settings.personal


PersonalData = Annotated[PersonalDataSettings, Depends(get_settings)]
