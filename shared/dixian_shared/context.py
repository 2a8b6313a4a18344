"""Per-request context that logs and the audit trail read: the request id."""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
