"""Idempotency-Key for retryable POSTs: the first response is stored in the same transaction as the change it made;
a replay with the same key returns it and writes nothing. A concurrent duplicate waits on the key's row lock."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response
from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

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
READ_STEP = 1 << 20


async def _request_hash(request: Request) -> str:
    """A fingerprint of the request: a small body hashed whole; a multipart form by its fields and its files' bytes,
    read back from where Starlette spooled them (the endpoint then gets the same parsed form), so that a retry is
    recognised whatever boundary the client's library draws; any other large body by its type and length."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        await _hash_form(digest.update, await request.form())
        return digest.hexdigest()
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) <= MAX_HASHED_BODY:
        digest.update(await request.body())
    else:
        digest.update(f"{content_type}\n{length}".encode())
    return digest.hexdigest()


async def _hash_form(update: Callable[[bytes], object], form: FormData) -> None:
    def field(text: str | None) -> None:
        encoded = (text or "").encode()
        update(f"{len(encoded)}:".encode() + encoded)  # length-prefixed: no two forms hash alike

    for name, value in form.multi_items():
        field(name)
        if isinstance(value, str):
            field(value)
            continue
        field(value.filename)
        content = hashlib.sha256()
        while chunk := await value.read(READ_STEP):
            content.update(chunk)
        await value.seek(0)
        field(content.hexdigest())


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
