"""RFC 9457 problem details: one error type for the domain, one set of handlers that turn everything into problems."""

import logging
from typing import Any, ClassVar, Literal

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


Language = Literal["zh", "en"]


def preferred_language(accept_language: str | None) -> Language:
    """Chinese unless the client's Accept-Language ranks English above every Chinese tag."""
    best: tuple[float, Language] = (0.0, "zh")
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if quality <= best[0]:
            continue
        if primary == "zh":
            best = (quality, "zh")
        elif primary == "en":
            best = (quality, "en")
    return best[1]


class FieldError(BaseModel):
    field: str
    message: str
    type: str | None = None
    label: str | None = None


class Problem(BaseModel):
    """The body of every error response. `code` is stable for machines; `params` fill a front end's own text."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str | None = None
    params: dict[str, Any] | None = None
    errors: list[FieldError] | None = None
    rule: str | None = None


VALUE_LABELS: dict[str, str] = {}
"""Chinese for parameter values a Chinese detail shows (entity names, roles, field names), filled at start-up."""


def register_value_labels(labels: dict[str, str]) -> None:
    VALUE_LABELS.update(labels)


def value_zh(value: Any) -> Any:
    """A parameter as a Chinese detail shows it: `household` → 农户, `village` → 村级用户, `done_on` → 完成日期."""
    if isinstance(value, str):
        return VALUE_LABELS.get(value) or FIELD_LABELS.get(value) or value
    return value


def _json_safe(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else str(value)


class ProblemError(Exception):
    """A domain error. Subclasses fix the status, slug and titles; the detail templates are filled from kwargs.

    Users read Chinese: `title_zh` and `template_zh` are what a problem says by default; `title` and `template` are
    the English sent on `Accept-Language: en`. A detail passed explicitly is used in both languages.
    """

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"
    template: ClassVar[str] = ""
    title_zh: ClassVar[str] = "请求有误"
    template_zh: ClassVar[str] = ""

    def __init__(
        self,
        detail: str | None = None,
        *,
        detail_zh: str | None = None,
        errors: list[FieldError] | None = None,
        **kwargs: Any,
    ) -> None:
        self.kwargs = kwargs
        self.explicit_detail = detail
        self.explicit_detail_zh = detail_zh
        self.detail = detail if detail is not None else self.template.format(**kwargs)
        self.errors = errors
        super().__init__(self.detail)

    @property
    def rule(self) -> str | None:
        return self.kwargs.get("rule")

    def detail_in(self, language: Language) -> str:
        if language == "zh" and self.explicit_detail_zh is not None:
            return self.explicit_detail_zh
        if self.explicit_detail is not None:
            return self.explicit_detail
        if language == "zh" and self.template_zh:
            return self.template_zh.format(**{key: value_zh(value) for key, value in self.kwargs.items()})
        return self.detail

    def title_in(self, language: Language) -> str:
        return self.title_zh if language == "zh" and self.title_zh else self.title

    def to_problem(self, instance: str | None = None, language: Language = "zh") -> Problem:
        return Problem(
            type=TYPE_BASE + self.slug,
            title=self.title_in(language),
            status=self.status,
            detail=self.detail_in(language),
            instance=instance,
            code=self.slug,
            params={key: _json_safe(value) for key, value in self.kwargs.items()} or None,
            errors=self.errors,
            rule=self.rule,
        )


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"
    template = "{entity} {key} was not found"
    title_zh = "未找到"
    template_zh = "未找到{entity} {key}"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"
    title_zh = "与现有记录冲突"
    template_zh = ""


class RuleViolation(ProblemError):
    """A business rule refused the change; `rule` names it."""

    status, slug, title = 422, "rule-violation", "Business rule violated"
    title_zh = "不符合业务规则"


class InvalidField(ProblemError):
    """One field is wrong; `message_zh` is what a Chinese reader sees beside the field (English on request)."""

    status, slug, title = 422, "validation-error", "Invalid input"
    title_zh = "输入有误"

    def __init__(self, field: str, message: str, message_zh: str | None = None) -> None:
        label = FIELD_LABELS.get(field.rsplit(".", 1)[-1])
        self.field_errors = {
            "en": [FieldError(field=field, message=message, label=label)],
            "zh": [FieldError(field=field, message=message_zh or message, label=label)],
        }
        super().__init__(
            f"{field}: {message}",
            detail_zh=f"{label or field}：{message_zh or message}",
            errors=self.field_errors["zh"],
            field=field,
        )

    def to_problem(self, instance: str | None = None, language: Language = "zh") -> Problem:
        problem = super().to_problem(instance, language)
        problem.errors = self.field_errors[language]
        return problem


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Authentication required"
    title_zh = "需要登录或有效的 API 密钥"


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "Not allowed"
    title_zh = "无权执行此操作"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The record changed since you read it"
    template = "If-Match {given} does not match the current version {current}"
    title_zh = "记录已被他人修改"
    template_zh = "If-Match {given} 与当前版本 {current} 不一致，请重新读取后再提交"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "precondition-required", "If-Match header required"
    template = "send the ETag you read as If-Match to update this record"
    title_zh = "缺少 If-Match 请求头"
    template_zh = "修改记录时请在 If-Match 中带上读取时得到的 ETag"


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


class StaleRecord(PreconditionFailed):
    template = "the record was changed by someone else"
    template_zh = "记录已被他人修改，请重新读取后再提交"


class RecordConflict(Conflict):
    template = "conflicts with an existing record ({constraint})"
    template_zh = "与已有记录冲突（{constraint}）"


class ValueNotStorable(InvalidField):
    template_zh = "有数值超出范围或含有无法保存的字符"

    def __init__(self, message: str = "a value is out of range or contains characters that cannot be stored") -> None:
        super().__init__("body", message, self.template_zh)


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

FIELD_LABELS: dict[str, str] = {}
"""Chinese labels of API field names (the last name in a field's path), filled by each service at start-up."""


def register_field_labels(labels: dict[str, str]) -> None:
    FIELD_LABELS.update(labels)


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def field_label(loc: tuple[Any, ...]) -> str | None:
    names = [part for part in loc if isinstance(part, str)]
    return FIELD_LABELS.get(names[-1]) if names else None


class BilingualValueError(ValueError):
    """A validator's ValueError that also says what is wrong in Chinese (pydantic keeps it in the error's ctx)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


def _message(err: Any, language: Language) -> str:
    cause = (err.get("ctx") or {}).get("error")
    if language == "zh" and isinstance(cause, BilingualValueError):
        return cause.message_zh
    template = VALIDATION_MESSAGES_ZH.get(err.get("type", "")) if language == "zh" else None
    if template is None:
        return str(err.get("msg", "invalid"))
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(err.get("msg", "invalid"))


def validation_problem(exc: RequestValidationError, instance: str, language: Language = "zh") -> Problem:
    errors = [
        FieldError(
            field=_field_name(err.get("loc", ())),
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
        lang = language(request)
        problem = Problem(
            type=TYPE_BASE + f"http-{exc.status_code}",
            title=HTTP_TITLES[lang].get(exc.status_code, "HTTP 错误" if lang == "zh" else "HTTP error"),
            status=exc.status_code,
            detail=str(exc.detail),
            instance=request.url.path,
            code=f"http-{exc.status_code}",
        )
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
        if state.startswith(("08", "57P")) or exc.connection_invalidated:
            return await on_unavailable(request, exc)
        return await on_unexpected(request, exc)

    async def on_asyncpg(request: Request, exc: asyncpg.PostgresError) -> JSONResponse:
        # Raised by raw-connection work such as COPY, which SQLAlchemy does not wrap.
        if str(getattr(exc, "sqlstate", "")).startswith("22"):
            return respond(request, ValueNotStorable(f"the database refused a value: {exc}"))
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
    app.add_exception_handler(OperationalError, on_unavailable)
    app.add_exception_handler(InterfaceError, on_unavailable)
    app.add_exception_handler(OSError, on_unavailable)
    app.add_exception_handler(Exception, on_unexpected)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for code in (400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 503)
}
