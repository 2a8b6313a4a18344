"""Idempotency-Key for retryable POSTs: the first response is stored in the same transaction as the change it made;
a replay with the same key returns it and writes nothing. A concurrent duplicate waits on the key's row lock."""

import hashlib
from dataclasses import dataclass

from fastapi import Request, Response
from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.errors import InvalidField, ProblemError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


class KeyReused(ProblemError):
    status, slug, title = 422, "idempotency-key-reused", "Idempotency-Key reused"
    template = "this Idempotency-Key was used for a different request"


@dataclass(frozen=True)
class Claim:
    principal: str
    key: str


MAX_HASHED_BODY = 1 << 20


async def _request_hash(request: Request) -> str:
    """A fingerprint of the request. Small bodies are hashed whole; an upload is fingerprinted by its type and
    length instead, so that a large file is never read into memory just to compare it."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    content_type = request.headers.get("content-type", "")
    length = request.headers.get("content-length")
    small = length is not None and length.isdigit() and int(length) <= MAX_HASHED_BODY
    if small and not content_type.startswith("multipart/"):
        digest.update(await request.body())
    else:
        digest.update(f"{content_type}\n{length}".encode())
    return digest.hexdigest()


async def claim_or_replay(
    session: AsyncSession, table: Table, request: Request, principal: str
) -> tuple[Claim | None, Response | None]:
    """Claim the key for this request, or return the response stored by the request that claimed it first."""
    key = request.headers.get(HEADER)
    if key is None:
        return None, None
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidField(f"header.{HEADER}", f"must be 1 to {MAX_KEY_LENGTH} characters")
    request_hash = await _request_hash(request)
    inserted = await session.scalar(
        pg_insert(table)
        .values(principal=principal, key=key, request_hash=request_hash)
        .on_conflict_do_nothing()
        .returning(table.c.key)
    )
    if inserted is not None:
        return Claim(principal=principal, key=key), None
    stored = (await session.execute(select(table).where(table.c.principal == principal, table.c.key == key))).one()
    if stored.request_hash != request_hash:
        raise KeyReused()
    headers = dict(stored.response_headers or {})
    headers["Idempotent-Replayed"] = "true"
    return None, Response(stored.response_body, status_code=stored.status_code, headers=headers)


async def store_response(session: AsyncSession, table: Table, claim: Claim, response: Response) -> None:
    kept = {k: v for k, v in response.headers.items() if k.lower() in ("content-type", "location", "etag")}
    await session.execute(
        update(table)
        .where(table.c.principal == claim.principal, table.c.key == claim.key)
        .values(status_code=response.status_code, response_headers=kept, response_body=bytes(response.body))
    )
