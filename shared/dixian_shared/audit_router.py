"""Reading the audit trail: the district office (or an auditor with the district role) sees who changed what."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import select

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.pagination import Page, PageParams, apply_keyset, make_page, page_params
from dixian_shared.routing import DbSession, make_router

router = make_router(prefix="/audit", tags=["audit"])


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_role: str | None
    request_id: str | None
    entity: str
    entity_id: str
    action: str
    changes: dict[str, Any]


@router.get("", response_model=Page[AuditEntry], summary="Audit entries, newest last, for one entity or actor")
async def list_audit_entries(
    request: Request,
    session: DbSession,
    principal: Annotated[Principal, Depends(require_roles(Role.district))],
    params: Annotated[PageParams, Depends(page_params)],
    entity: Annotated[str | None, Query(max_length=60, pattern=r"^[a-z_]+$")] = None,
    # A NUL is no text PostgreSQL stores: refused here, naming the parameter, rather than by the database.
    entity_id: Annotated[str | None, Query(max_length=64, pattern=r"^[^\x00]*$")] = None,
    actor: Annotated[str | None, Query(max_length=120, pattern=r"^[^\x00]*$")] = None,
) -> Page[AuditEntry]:
    table = request.app.state.ctx.tables.audit_log
    stmt = select(table)
    if entity is not None:
        stmt = stmt.where(table.c.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(table.c.entity_id == entity_id)
    if actor is not None:
        stmt = stmt.where(table.c.actor == actor)
    rows = (await session.execute(apply_keyset(stmt, [table.c.id], params))).all()
    items, cursor = make_page(rows, params, lambda row: [row.id])
    return Page(items=[AuditEntry.model_validate(row, from_attributes=True) for row in items], next_cursor=cursor)
