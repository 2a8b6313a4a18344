"""The route class every service router uses: one session and one transaction per request, committed before the
response leaves, with Idempotency-Key handling for POSTs."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute, APIRouter
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from dixian_shared import idempotency
from dixian_shared.auth.deps import authenticate
from dixian_shared.errors import PROBLEM_RESPONSES

# Streamed uploads (a department's batch part, a registry import file) may be far larger than the JSON bodies the
# app-wide limit (`limits.max_body_bytes`) is set for; they are streamed to disk or to PostgreSQL, never held whole.
UPLOAD_MAX_BODY_BYTES = 4 << 30
READ_METHODS = frozenset({"GET", "HEAD"})


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        idempotent = "POST" in (self.methods or ())
        reading = bool(self.methods) and (self.methods or set()) <= READ_METHODS

        async def run_in_transaction(request: Request) -> Response:
            ctx = request.app.state.ctx
            async with ctx.sessionmaker() as session:
                request.state.session = session
                if reading and isinstance(session.bind, AsyncEngine):
                    # A read runs without BEGIN and COMMIT, two of a read's three to five round trips: under READ
                    # COMMITTED each statement sees its own snapshot inside a transaction too, so the rows read are
                    # the same; what a read writes (the audit row of a full record read) is one statement, committed
                    # as it is sent. (A session bound to a connection, as in the API tests, keeps its transaction.)
                    await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                outcome = None
                try:
                    claim = None
                    if idempotent and idempotency.HEADER in request.headers:
                        principal = await authenticate(request)
                        outcome = await idempotency.claim_or_replay(
                            session, ctx.tables.idempotency_key, request, principal.subject
                        )
                        if outcome.replay is not None:
                            await session.rollback()
                            return outcome.replay
                        claim, request = outcome.claim, outcome.request
                    response = await handler(request)
                    if response.status_code >= 400:
                        await session.rollback()
                        return response
                    if claim is not None:
                        await idempotency.store_response(session, ctx.tables.idempotency_key, claim, response)
                    await session.commit()
                    return response
                except BaseException:
                    await session.rollback()
                    raise
                finally:
                    if outcome is not None:
                        outcome.close()

        return run_in_transaction


def make_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes run in a transaction and document problem-details errors."""
    return APIRouter(route_class=TransactionalRoute, responses=PROBLEM_RESPONSES, **kwargs)


async def get_session(request: Request) -> AsyncSession:
    """The request's session, opened and committed by TransactionalRoute."""
    return request.state.session


DbSession = Annotated[AsyncSession, Depends(get_session)]
