"""Turning everything an app can raise into RFC 9457 problems: the domain's ProblemErrors, request validation,
Starlette's HTTP errors and the database's errors (a client's bad value is a 422, a lost connection a 503)."""

import logging
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

from dixian_shared.errors import (
    TYPE_BASE,
    BilingualValueError,
    FieldError,
    Language,
    Problem,
    ProblemError,
    RecordConflict,
    StaleRecord,
    ValueNotStorable,
    field_label,
    field_name,
    preferred_language,
    problem_response,
)

log = logging.getLogger(__name__)

# SQLSTATE classes of a connection lost or a server shutting down: the request may be retried, a 503.
CONNECTION_LOST = ("08", "57P")

# Chinese for the validation errors a client meets most; anything else keeps pydantic's English message.
VALIDATION_MESSAGES_ZH: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "不允许提交此字段",
    "string_too_long": "长度不能超过 {max_length}",
    "string_too_short": "长度不能少于 {min_length}",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_places": "小数位数不能超过 {decimal_places}",
    "bool_parsing": "应为是或否（true/false）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为时间（ISO 8601）",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象",
    "list_type": "应为列表",
}


def sqlstate(exc: DBAPIError) -> str:
    """The SQLSTATE of a database error, looked up on the driver's exception or the one it wraps."""
    for candidate in (exc.orig, getattr(exc.orig, "__cause__", None)):
        if state := getattr(candidate, "sqlstate", None):
            return str(state)
    return ""


def _message(err: Any, language: Language) -> str:
    cause = (err.get("ctx") or {}).get("error")
    if language == "zh" and isinstance(cause, BilingualValueError):
        return cause.message_zh
    kind = err.get("type", "")
    if kind in ("too_short", "too_long") and (err.get("ctx") or {}).get("field_type") != "List":
        kind = f"string_{kind}"  # a length constraint on a text (an ID number) counts characters, not items
    template = VALIDATION_MESSAGES_ZH.get(kind) if language == "zh" else None
    if template is None:
        return str(err.get("msg", "invalid"))
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(err.get("msg", "invalid"))


def validation_problem(exc: RequestValidationError, instance: str, language: Language = "zh") -> Problem:
    errors = [
        FieldError(
            field=field_name(err.get("loc", ())),
            message=_message(err, language),
            type=err.get("type"),
            label=field_label(err.get("loc", ())),
        )
        for err in exc.errors()
    ]
    fields = ", ".join(e.field for e in errors)
    return Problem(
        type=TYPE_BASE + "validation-error",
        title="输入有误" if language == "zh" else "Invalid input",
        status=422,
        detail=f"以下字段的值无效：{fields}" if language == "zh" else f"invalid value for {fields}",
        instance=instance,
        code="validation-error",
        params={"fields": fields},
        errors=errors,
    )


HTTP_TITLES = {
    "zh": {404: "未找到", 405: "不支持此请求方法", 413: "请求内容过大", 415: "不支持的内容类型", 429: "请求过于频繁"},
    "en": {
        404: "Not found",
        405: "Method not allowed",
        413: "Content too large",
        415: "Unsupported media type",
        429: "Too many requests",
    },
}
# Starlette words its own errors (no such route, wrong method, body too large) in English; a Chinese reader gets these.
HTTP_DETAILS = {
    "zh": {
        400: "请求无法解析",
        404: "没有这个地址",
        405: "此地址不接受该请求方法",
        413: "请求内容超过本服务接受的大小",
        415: "不支持此内容类型",
        429: "请求过于频繁，请稍后再试",
    },
    "en": {413: "the request body is larger than this service accepts"},
}


def http_problem(status: int, language: Language, instance: str | None, detail: str, limit: int | None) -> Problem:
    """One of Starlette's own HTTP errors as a problem in the caller's language; a 413 names the limit it broke."""
    return Problem(
        type=TYPE_BASE + f"http-{status}",
        title=HTTP_TITLES[language].get(status, "HTTP 错误" if language == "zh" else "HTTP error"),
        status=status,
        detail=HTTP_DETAILS[language].get(status, detail),
        instance=instance,
        code=f"http-{status}",
        params={"limit": limit} if status == 413 and limit is not None else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    def language(request: Request) -> Language:
        return preferred_language(request.headers.get("accept-language"))

    def respond(request: Request, error: ProblemError, headers: dict[str, str] | None = None) -> JSONResponse:
        return problem_response(error.to_problem(request.url.path, language(request)), headers)

    # Registered by decorator: add_exception_handler is typed for handlers of any Exception, these take one kind.
    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, exc: ProblemError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if exc.status == 429:
            headers = {"Retry-After": str(exc.kwargs.get("retry_after", 1))}
        return respond(request, exc, headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc, request.url.path, language(request)))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
        problem = http_problem(exc.status_code, language(request), request.url.path, str(exc.detail), limit)
        return problem_response(problem, getattr(exc, "headers", None))

    @app.exception_handler(StaleDataError)
    async def on_stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return respond(request, StaleRecord())

    @app.exception_handler(IntegrityError)
    async def on_integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        constraint = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
        return respond(request, RecordConflict(constraint=constraint or "unique"))

    @app.exception_handler(DBAPIError)
    async def on_database(request: Request, exc: DBAPIError) -> JSONResponse:
        # Values that pass schema validation but not the database (out-of-range numbers, NUL characters) carry a
        # class 22 SQLSTATE: the client's fault, so a 422 that changes nothing. Lost connections are a 503.
        state = sqlstate(exc)
        if state.startswith("22"):
            log.warning("database refused input: %s", exc.orig)
            return respond(request, ValueNotStorable())
        if state.startswith(CONNECTION_LOST) or exc.connection_invalidated:
            return await on_unavailable(request, exc)
        return await on_unexpected(request, exc)

    async def on_asyncpg(request: Request, exc: asyncpg.PostgresError) -> JSONResponse:
        # Raised by work on the driver's connection (COPY, the prepared hot reads), which SQLAlchemy does not wrap.
        state = str(getattr(exc, "sqlstate", ""))
        if state.startswith("22"):
            return respond(request, ValueNotStorable(f"the database refused a value: {exc}"))
        if state.startswith(CONNECTION_LOST):
            return await on_unavailable(request, exc)
        return await on_unexpected(request, exc)

    async def on_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        zh = language(request) == "zh"
        problem = Problem(
            type=TYPE_BASE + "unavailable",
            title="服务暂时不可用，请稍后重试" if zh else "Service unavailable",
            status=503,
            instance=request.url.path,
            code="unavailable",
        )
        return problem_response(problem, {"Retry-After": "5"})

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        zh = language(request) == "zh"
        problem = Problem(
            type=TYPE_BASE + "internal",
            title="系统内部错误" if zh else "Internal error",
            status=500,
            instance=request.url.path,
            code="internal",
        )
        return problem_response(problem)

    app.add_exception_handler(asyncpg.PostgresError, on_asyncpg)
    # The driver's connection closed, or found mid-operation after the server dropped it (SQLAlchemy reports the
    # same two as disconnects): the prepared reads meet them unwrapped.
    app.add_exception_handler(asyncpg.InterfaceError, on_unavailable)
    app.add_exception_handler(asyncpg.exceptions.InternalClientError, on_unavailable)
    app.add_exception_handler(OperationalError, on_unavailable)
    app.add_exception_handler(InterfaceError, on_unavailable)
    app.add_exception_handler(OSError, on_unavailable)
    app.add_exception_handler(Exception, on_unexpected)
