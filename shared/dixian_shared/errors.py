"""RFC 9457 problem details: the problem model and the domain's error types (handlers live in error_handlers)."""

from typing import Any, ClassVar, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel

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

    # message_zh is required: the default answer is Chinese, and a field error without it would show English there.
    def __init__(self, field: str, message: str, message_zh: str) -> None:
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


class NotAcceptable(ProblemError):
    status, slug, title = 406, "not-acceptable", "None of the accepted media types can be answered"
    template = "this list is answered as application/json or as an XLSX workbook (?format=xlsx)"
    title_zh = "无法以请求的格式返回"
    template_zh = "此列表只能以 JSON 或 Excel 工作簿（?format=xlsx）返回，请调整 Accept 请求头"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "precondition-required", "If-Match header required"
    template = "send the ETag you read as If-Match to update this record"
    title_zh = "缺少 If-Match 请求头"
    template_zh = "修改记录时请在 If-Match 中带上读取时得到的 ETag"


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


FIELD_LABELS: dict[str, str] = {}
"""Chinese labels of API field names (the last name in a field's path), filled by each service at start-up."""


def register_field_labels(labels: dict[str, str]) -> None:
    FIELD_LABELS.update(labels)


def field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def field_label(loc: tuple[Any, ...]) -> str | None:
    names = [part for part in loc if isinstance(part, str)]
    return FIELD_LABELS.get(names[-1]) if names else None


class BilingualValueError(ValueError):
    """A validator's ValueError that also says what is wrong in Chinese (pydantic keeps it in the error's ctx)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for code in (400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 503)
}
