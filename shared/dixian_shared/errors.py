"""RFC 9457 problem details: one error type for the domain, one set of handlers that turn everything into problems."""

import logging
from typing import Any, ClassVar

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://dixian.gov.cn/problems/"


class FieldError(BaseModel):
    field: str
    message: str
    type: str | None = None


class Problem(BaseModel):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None
    rule: str | None = None


class ProblemError(Exception):
    """A domain error. Subclasses fix the status, slug and title; the detail template is filled from kwargs."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"
    template: ClassVar[str] = ""

    def __init__(self, detail: str | None = None, *, errors: list[FieldError] | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.detail = detail if detail is not None else self.template.format(**kwargs)
        self.errors = errors
        super().__init__(self.detail)

    @property
    def rule(self) -> str | None:
        return self.kwargs.get("rule")

    def to_problem(self, instance: str | None = None) -> Problem:
        return Problem(
            type=TYPE_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            errors=self.errors,
            rule=self.rule,
        )


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"
    template = "{entity} {key} was not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"


class RuleViolation(ProblemError):
    """A business rule refused the change; `rule` names it."""

    status, slug, title = 422, "rule-violation", "Business rule violated"


class InvalidField(ProblemError):
    status, slug, title = 422, "validation-error", "Invalid input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[FieldError(field=field, message=message)])


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "Not allowed"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The record changed since you read it"
    template = "If-Match {given} does not match the current version {current}"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "precondition-required", "If-Match header required"
    template = "send the ETag you read as If-Match to update this record"


def sqlstate(exc: DBAPIError) -> str:
    """The SQLSTATE of a database error, looked up on the driver's exception or the one it wraps."""
    for candidate in (exc.orig, getattr(exc.orig, "__cause__", None)):
        if state := getattr(candidate, "sqlstate", None):
            return str(state)
    return ""


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def validation_problem(exc: RequestValidationError, instance: str) -> Problem:
    errors = [
        FieldError(field=_field_name(err.get("loc", ())), message=err.get("msg", "invalid"), type=err.get("type"))
        for err in exc.errors()
    ]
    fields = ", ".join(e.field for e in errors)
    return Problem(
        type=TYPE_BASE + "validation-error",
        title="Invalid input",
        status=422,
        detail=f"invalid value for {fields}",
        instance=instance,
        errors=errors,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: ProblemError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(exc.to_problem(request.url.path), headers)

    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc, request.url.path))

    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        problem = Problem(
            type=TYPE_BASE + f"http-{exc.status_code}",
            title=title,
            status=exc.status_code,
            detail=str(exc.detail),
            instance=request.url.path,
        )
        return problem_response(problem, getattr(exc, "headers", None))

    async def on_stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return problem_response(
            PreconditionFailed("the record was changed by someone else").to_problem(request.url.path)
        )

    async def on_integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        constraint = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
        detail = (
            f"conflicts with an existing record ({constraint})" if constraint else "conflicts with an existing record"
        )
        return problem_response(Conflict(detail).to_problem(request.url.path))

    async def on_database(request: Request, exc: DBAPIError) -> JSONResponse:
        # Values that pass schema validation but not the database (out-of-range numbers, NUL characters) carry a
        # class 22 SQLSTATE: the client's fault, so a 422 that changes nothing. Lost connections are a 503.
        state = sqlstate(exc)
        if state.startswith("22"):
            log.warning("database refused input: %s", exc.orig)
            problem = InvalidField("body", "a value is out of range or contains characters that cannot be stored")
            return problem_response(problem.to_problem(request.url.path))
        if state.startswith(("08", "57P")) or exc.connection_invalidated:
            return await on_unavailable(request, exc)
        return await on_unexpected(request, exc)

    async def on_asyncpg(request: Request, exc: asyncpg.PostgresError) -> JSONResponse:
        # Raised by raw-connection work such as COPY, which SQLAlchemy does not wrap.
        if str(getattr(exc, "sqlstate", "")).startswith("22"):
            problem = InvalidField("body", f"the database refused a value: {exc}")
            return problem_response(problem.to_problem(request.url.path))
        return await on_unexpected(request, exc)

    async def on_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        problem = Problem(
            type=TYPE_BASE + "unavailable", title="Service unavailable", status=503, instance=request.url.path
        )
        return problem_response(problem, {"Retry-After": "5"})

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        problem = Problem(type=TYPE_BASE + "internal", title="Internal error", status=500, instance=request.url.path)
        return problem_response(problem)

    app.add_exception_handler(ProblemError, on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(StaleDataError, on_stale)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, on_integrity)  # type: ignore[arg-type]
    app.add_exception_handler(DBAPIError, on_database)  # type: ignore[arg-type]
    app.add_exception_handler(asyncpg.PostgresError, on_asyncpg)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, on_unavailable)
    app.add_exception_handler(InterfaceError, on_unavailable)
    app.add_exception_handler(OSError, on_unavailable)
    app.add_exception_handler(Exception, on_unexpected)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for code in (400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 503)
}
