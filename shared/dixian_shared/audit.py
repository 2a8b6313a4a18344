"""The audit trail: every ORM write records who, when, which entity and the fields before/after, in one transaction.

A session opts in by carrying `info["common"]` (its schema's tables); the principal comes from `info["principal"]`.
Bulk loads that bypass the ORM write one summary row through `record`.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import Insert, Table, bindparam, event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from dixian_shared.context import request_id_var
from dixian_shared.prepared import ByShape


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if action == "insert":
            value = getattr(obj, attr.key, None) if attr.key in state.dict else None
            if value is not None:
                changes[attr.key] = [None, _json_value(value)]
        elif action == "delete":
            changes[attr.key] = [_json_value(state.dict.get(attr.key)), None]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = [_json_value(before), _json_value(after)]
    return changes


def _actor(session: Session) -> tuple[str, str | None]:
    principal = session.info.get("principal")
    if principal is None:
        return session.info.get("actor", "system"), None
    return principal.subject, str(principal.role)


def _row(session: Session, entity: str, entity_id: str, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    actor, role = _actor(session)
    return {
        "actor": actor,
        "actor_role": role,
        "request_id": request_id_var.get(),
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "changes": changes,
    }


def install() -> None:
    """Register the audit listener on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _write_audit_rows):
        event.listen(Session, "after_flush", _write_audit_rows)


def _write_audit_rows(session: Session, flush_context: UOWTransaction) -> None:
    common = session.info.get("common")
    if common is None:
        return
    rows = []
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if getattr(obj, "__audited__", True) is False:
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            primary_key = inspect(obj).mapper.primary_key_from_instance(obj)
            entity_id = "/".join(str(part) for part in primary_key)
            rows.append(_row(session, obj.__tablename__, entity_id, action, changes))
    if rows:
        session.connection().execute(insert(common.audit_log), rows)


def _insert(table: Table) -> Insert:
    return insert(table).values({name: bindparam(name, type_=table.c[name].type) for name in _ROW_COLUMNS}).inline()


_ROW_COLUMNS = ("actor", "actor_role", "request_id", "entity", "entity_id", "action", "changes")
_INSERTS = ByShape(_insert)  # one prepared INSERT per service schema's audit table


async def record(session: Any, entity: str, entity_id: str, action: str, changes: dict[str, Any]) -> None:
    """An explicit audit row, for set-based writes the ORM does not see (imports, bulk status changes) and for the
    full read of a person's record, which every such read writes: a prepared statement on the session's connection,
    in its transaction."""
    row = _row(session.sync_session, entity, entity_id, action, changes)
    row["changes"] = json.dumps(changes)  # what the JSONB column's own serialiser would send
    await _INSERTS[session.info["common"].audit_log].execute(session, **row)
