"""Idempotency-Key for retryable POSTs: the first response is stored in the same transaction as the change it made;
a replay with the same key returns it and writes nothing. A concurrent duplicate waits on the key's row lock."""

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response
from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.types import Message

from dixian_shared.errors import InvalidField, ProblemError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


class KeyReused(ProblemError):
    status, slug, title = 422, "idempotency-key-reused", "Idempotency-Key reused"
    template = "this Idempotency-Key was used for a different request"
    title_zh = "幂等键已被使用"
    template_zh = "此 Idempotency-Key 已用于另一个不同的请求"


@dataclass(frozen=True)
class Claim:
    principal: str
    key: str


READ_STEP = 1 << 20
SPOOL_IN_MEMORY = 1 << 20  # bodies up to this stay in memory while they wait for the endpoint; larger ones on disk


class SpooledBody:
    """A request body read once to be hashed, kept (in memory while small, on disk beyond) and replayed to the
    endpoint through an ASGI receive of its own, so the endpoint reads the same bytes it would have read."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 closed by close()
        self._size = 0
        self._replayed = False

    async def read_into(self, update: Callable[[bytes], object]) -> None:
        async for chunk in self._request.stream():
            update(chunk)
            self._file.write(chunk)
            self._size += len(chunk)
        self._file.seek(0)

    async def _receive(self) -> Message:
        if self._replayed:
            return await self._request.receive()  # the body was replayed: wait for the client to go, as before
        chunk = self._file.read(READ_STEP)
        self._replayed = self._file.tell() >= self._size
        return {"type": "http.request", "body": chunk, "more_body": not self._replayed}

    def replay(self) -> Request:
        return Request(self._request.scope, self._receive)

    def close(self) -> None:
        self._file.close()


async def _request_hash(request: Request) -> tuple[str, Request, SpooledBody | None]:
    """A fingerprint of the whole request, and the request the endpoint is to read. A multipart form is hashed by
    its fields and its files' bytes, read back from where Starlette spooled them (the endpoint then gets the same
    parsed form), so that a retry is recognised whatever boundary the client's library draws. Any other body is
    hashed whole as it streams in, whatever its length or transfer encoding, and replayed to the endpoint."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        await _hash_form(digest.update, await request.form())
        return digest.hexdigest(), request, None
    body = SpooledBody(request)
    try:
        await body.read_into(digest.update)
    except BaseException:
        body.close()
        raise
    return digest.hexdigest(), body.replay(), body


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


@dataclass
class Outcome:
    """What claiming a key decided: a claim to store the response under, or the stored response to replay; and the
    request the endpoint reads (its body replayed after hashing). `close()` frees the spooled body."""

    claim: Claim | None
    replay: Response | None
    request: Request
    body: SpooledBody | None = None

    def close(self) -> None:
        if self.body is not None:
            self.body.close()


async def claim_or_replay(session: AsyncSession, table: Table, request: Request, principal: str) -> Outcome:
    """Claim the key for this request, or return the response stored by the request that claimed it first."""
    key = request.headers.get(HEADER)
    if key is None:
        return Outcome(None, None, request)
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidField(
            f"header.{HEADER}", f"must be 1 to {MAX_KEY_LENGTH} characters", f"长度应为 1 至 {MAX_KEY_LENGTH} 个字符"
        )
    request_hash, replayed, body = await _request_hash(request)
    try:
        return await _claim(session, table, principal, key, request_hash, Outcome(None, None, replayed, body))
    except BaseException:
        if body is not None:
            body.close()
        raise


async def _claim(
    session: AsyncSession, table: Table, principal: str, key: str, request_hash: str, outcome: Outcome
) -> Outcome:
    inserted = await session.scalar(
        pg_insert(table)
        .values(principal=principal, key=key, request_hash=request_hash)
        .on_conflict_do_nothing()
        .returning(table.c.key)
    )
    if inserted is not None:
        outcome.claim = Claim(principal=principal, key=key)
        return outcome
    stored = (await session.execute(select(table).where(table.c.principal == principal, table.c.key == key))).one()
    if stored.request_hash != request_hash:
        raise KeyReused()
    headers = dict(stored.response_headers or {})
    headers["Idempotent-Replayed"] = "true"
    outcome.replay = Response(stored.response_body, status_code=stored.status_code, headers=headers)
    return outcome


async def store_response(session: AsyncSession, table: Table, claim: Claim, response: Response) -> None:
    kept = {k: v for k, v in response.headers.items() if k.lower() in ("content-type", "location", "etag")}
    await session.execute(
        update(table)
        .where(table.c.principal == claim.principal, table.c.key == claim.key)
        .values(status_code=response.status_code, response_headers=kept, response_body=bytes(response.body))
    )
