"""The floor for the registry benchmark: bare FastAPI + asyncpg serving the same two reads with the same SQL.

Same token check (RS256 JWT), same region scoping predicate, same keyset cursor format and the same rows as
monitoring-api's GET /households/{id} and GET /households?region_code=…, and the same audit row for a full read of a
household (a staff role sees ID and phone numbers in full, so the read is recorded: who, when, whom — committed with
the reads, as monitoring-api does); no ORM, no pydantic models, no session, no middleware, no access log.
Run by bench.registry.run with BENCH_DATABASE_URL and BENCH_PUBLIC_KEY_FILE:

    uvicorn bench.registry.bare_app:create_app --factory --workers 2 --no-access-log
"""

import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
import jwt
from fastapi import FastAPI, Header, Query, Request, Response

from dixian_shared import regioncode
from dixian_shared.auth.principal import person_subject
from dixian_shared.pagination import decode_cursor, encode_cursor

# The household with the province's income verifications as one JSON array (monitoring-api's detail statement).
DETAIL = (
    "SELECT h.*, (SELECT coalesce(jsonb_agg(jsonb_build_object('year', v.year, 'per_capita_net_income',"
    " v.per_capita_net_income::text, 'verified_on', v.verified_on, 'items', v.items) ORDER BY v.year DESC),"
    " '[]'::jsonb) FROM monitoring.household_income_verification v WHERE v.household_id = h.id)"
    " AS income_verifications FROM monitoring.household h WHERE h.id = $1 AND {scope}"
)
AUDIT_READ = (
    "INSERT INTO monitoring.audit_log (actor, actor_role, request_id, entity, entity_id, action, changes)"
    " VALUES ($1, $2, $3, 'household', $4, 'read', '{}')"
)
FULL_RECORD_ROLES = {"district", "town", "village"}  # PersonalDataSettings.full_record_roles' default
MEMBERS = "SELECT m.* FROM monitoring.member m WHERE m.household_id = $1 ORDER BY m.id"
LIST = (
    "SELECT h.* FROM monitoring.household h WHERE {scope} AND {filter} AND (h.region_code, h.id) > ($1, $2)"
    " ORDER BY h.region_code, h.id LIMIT $3"
)


def _range(prefix: str, first_parameter: int) -> tuple[str, list[str]]:
    """The predicate `under_region` builds: equality for a village, a code range (b-tree friendly) above it."""
    if len(prefix) == 12:
        return f"h.region_code = ${first_parameter}", [prefix]
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return f"h.region_code >= ${first_parameter} AND h.region_code < ${first_parameter + 1}", [prefix, upper]


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, default=str, ensure_ascii=False), status_code=status, media_type="application/json"
    )


def create_app() -> FastAPI:
    url = os.environ["BENCH_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://", 1)
    with open(os.environ["BENCH_PUBLIC_KEY_FILE"], "rb") as handle:
        public_key = handle.read()
    pool_size = int(os.environ.get("BENCH_POOL_SIZE", "10"))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(url, min_size=2, max_size=pool_size)
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan, openapi_url=None)

    def claims_of(authorization: str | None) -> dict[str, Any] | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        try:
            claims = jwt.decode(authorization[7:], public_key, algorithms=["RS256"], audience="dixian", issuer="dixian")
        except jwt.PyJWTError:
            return None
        return dict(claims)

    def scope_of(authorization: str | None) -> str | None:
        claims = claims_of(authorization)
        return None if claims is None else regioncode.prefix(str(claims["region_code"]))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/households/{household_id}")
    async def household(
        request: Request, household_id: int, authorization: Annotated[str | None, Header()] = None
    ) -> Response:
        claims = claims_of(authorization)
        if claims is None:
            return _json({"title": "Unauthorized"}, 401)
        scope, values = _range(regioncode.prefix(str(claims["region_code"])), 2)
        async with request.app.state.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(DETAIL.format(scope=scope), household_id, *values)
            if row is None:
                return _json({"title": "Not found"}, 404)
            if claims.get("role") in FULL_RECORD_ROLES:
                actor = person_subject(str(claims["sub"]))
                await conn.execute(AUDIT_READ, actor, claims["role"], uuid.uuid4().hex, str(household_id))
            members = await conn.fetch(MEMBERS, household_id)
        body = dict(row)
        body["members"] = [dict(m) for m in members]
        return _json(body)

    @app.get("/households")
    async def households(
        request: Request,
        region_code: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: str | None = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> Response:
        prefix = scope_of(authorization)
        if prefix is None:
            return _json({"title": "Unauthorized"}, 401)
        after_region, after_id = decode_cursor(cursor, 2) if cursor else ("", 0)
        scope, values = _range(prefix, 4)
        wanted, more = _range(regioncode.prefix(region_code), 4 + len(values)) if region_code else ("TRUE", [])
        sql = LIST.format(scope=scope, filter=wanted)
        async with request.app.state.pool.acquire() as conn:
            rows = await conn.fetch(sql, str(after_region), int(after_id), limit + 1, *values, *more)
        items = [dict(r) for r in rows[:limit]]
        next_cursor = encode_cursor([items[-1]["region_code"], items[-1]["id"]]) if len(rows) > limit else None
        return _json({"items": items, "next_cursor": next_cursor})

    return app
