"""Any list endpoint as an XLSX download: the same endpoint, the same query, the same filters and masking.

    @router.get("/households", response_model=Page[HouseholdRead], responses=XLSX_RESPONSES)
    @exportable("农户")
    async def list_households(...) -> Page[HouseholdRead]: ...

`?format=xlsx` (or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) calls the endpoint
page after page with the largest page size, writing each page's items as rows of a streaming workbook on disk,
then sends the file. Memory holds one page at a time whatever the length of the list. Column headings are the
Chinese labels registered with `register_field_labels` (the ones validation errors use), or the service's own
vocabulary passed as `labels=` (each service's field names in its own terms, whichever app registered last).

An export discloses many people's (masked) records at once, so each one written is audited once in the service's own
audit log (`record_export`) before the file leaves; an export refused or failed on the way writes nothing.
"""

import functools
import inspect
import json
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import IO, Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from dixian_shared import audit, negotiation, personal, xlsx
from dixian_shared.errors import FIELD_LABELS, PROBLEM_MEDIA_TYPE, NotAcceptable, Problem
from dixian_shared.pagination import MAX_LIMIT, PageParams

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])

XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {xlsx.MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        "description": "JSON, or with ?format=xlsx the whole list (every page) as a workbook",
    },
    406: {
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "description": "the Accept header accepts neither JSON nor the workbook",
    },
}
SKIPPED_FIELDS = frozenset({"version"})
FormatParam = Annotated[
    Literal["json", "xlsx"] | None,
    Query(description="xlsx: the whole list, every page, as an Excel workbook with Chinese headings"),
]
ExtraRows = Callable[[dict[str, Any], list[Any]], Awaitable[Sequence[BaseModel]]]
EXPORT_ENTITY = "export"
NOT_FILTERS = frozenset({"format", "cursor", "limit"})  # how the list is read, not which rows it holds


def wants_xlsx(request: Request, format: str | None) -> bool:
    """?format decides; else the Accept header, weights and all (a workbook refused with q=0 is not sent)."""
    if format is not None:
        return format == "xlsx"
    choice = negotiation.choose(", ".join(request.headers.getlist("accept")))
    if choice is None:
        raise NotAcceptable()
    return choice == "xlsx"


def label(name: str, labels: Mapping[str, str] | None = None) -> str:
    """A column's heading: the service's own label of the field, else the registered one, else its name."""
    return (labels or {}).get(name) or FIELD_LABELS.get(name, name)


def item_model(function: Callable[..., Any], items: str) -> type[BaseModel]:
    """The model of one row, read from the endpoint's return annotation (`Page[X]` → X)."""
    page = typing.get_type_hints(function)["return"]
    annotation = page.model_fields[items].annotation
    (model,) = typing.get_args(annotation)
    return model


def columns(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in SKIPPED_FIELDS]


def cell(value: Any) -> Any:
    """A JSON value as one spreadsheet cell: lists joined with 、, objects as compact JSON."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, list):
        if all(isinstance(v, str | int | float | Enum) for v in value):
            return "、".join(str(v.value if isinstance(v, Enum) else v) for v in value)
        return json.dumps([cell_json(v) for v in value], ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(cell_json(value), ensure_ascii=False) if value else None
    return value


def cell_json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: cell_json(v) for k, v in value.items()}
    if isinstance(value, date | datetime | Decimal):
        return str(value)
    return value


def row(item: BaseModel, names: Sequence[str]) -> list[Any]:
    return [cell(_masked(name, getattr(item, name))) for name in names]


def _masked(name: str, value: Any) -> Any:
    """Exports mask ID and phone numbers as lists do (personal.mask_personal), nested values included."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
        value = [v.model_dump(mode="json") for v in value]
    return personal.mask_field(name, value)


def _paging_parameter(signature: inspect.Signature) -> str | None:
    for name, parameter in signature.parameters.items():
        annotation = parameter.annotation
        if typing.get_origin(annotation) is Annotated:
            annotation = typing.get_args(annotation)[0]
        if annotation is PageParams:
            return name
    return None


ItemsOf = str | Callable[[Any], list[Any]]


def _items(result: Any, items: ItemsOf) -> list[Any]:
    return list(getattr(result, items)) if isinstance(items, str) else items(result)


async def pages(
    call: Callable[..., Awaitable[Any]], kwargs: dict[str, Any], paging: str | None, items: ItemsOf
) -> AsyncIterator[list[Any]]:
    """Every page of the list, in order, each fetched by the endpoint itself."""
    cursor: str | None = None
    while True:
        if paging is not None:
            kwargs = {**kwargs, paging: PageParams(limit=MAX_LIMIT, cursor=cursor)}
        result = await call(**kwargs)
        yield _items(result, items)
        cursor = getattr(result, "next_cursor", None)
        if paging is None or cursor is None:
            return


def flat(item: BaseModel) -> dict[str, Any]:
    """A row whose mappings become columns of their own: `by_category.脱贫户`, `warnings.收入线.红`."""
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}", inner)
        else:
            out[prefix] = cell(value)

    for name in columns(type(item)):
        walk(name, _masked(name, getattr(item, name)))
    return out


def flat_label(path: str, labels: Mapping[str, str] | None = None) -> str:
    head, _, rest = path.partition(".")
    return label(head, labels) + ("·" + rest.replace(".", "·") if rest else "")


def filters(request: Request) -> dict[str, str | list[str]]:
    """The query's filters as the caller sent them (a repeated parameter as a list), paging and format left out."""
    out: dict[str, str | list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key in NOT_FILTERS:
            continue
        held = out.get(key)
        out[key] = value if held is None else [*([held] if isinstance(held, str) else held), value]
    return out


async def record_export(request: Request, sheets: Mapping[str, int]) -> None:
    """The audit row of one export, in the request's session: who (the row's actor and role, the region here), which
    list (its route as entity_id, so `GET /audit?entity=export&entity_id=/households` finds every export of it; the
    path as called), which filters, how many rows each sheet holds (`rows`: the list's own)."""
    session = request.state.session
    principal = session.info.get("principal")
    route = request.scope.get("route")
    changes = {
        "path": request.url.path,
        "filters": filters(request),
        "rows": next(iter(sheets.values()), 0),
        "sheets": dict(sheets),
        "region_code": principal.region_code if principal is not None else None,
    }
    list_path = getattr(route, "path", request.url.path)
    await audit.record(session, EXPORT_ENTITY, list_path, EXPORT_ENTITY, changes)


def file_response(workbook: IO[bytes], filename: str) -> StreamingResponse:
    size = workbook.tell()
    workbook.seek(0)

    def chunks() -> typing.Iterator[bytes]:
        try:
            while chunk := workbook.read(1 << 16):
                yield chunk
        finally:
            workbook.close()

    disposition = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return StreamingResponse(
        chunks(),
        media_type=xlsx.MEDIA_TYPE,
        headers={"Content-Disposition": disposition, "Content-Length": str(size)},
    )


def exportable(
    sheet: str,
    *,
    items: ItemsOf = "items",
    model: type[BaseModel] | None = None,
    flatten: bool = False,
    extra: tuple[str, type[BaseModel], ExtraRows] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """Make a list endpoint answer `?format=xlsx` with every page of itself as a workbook.

    `items` names the attribute holding the rows (default `items`) or is a function of the result returning them;
    `model` is the row model when it cannot be read from the return annotation. `flatten` (unpaged, short lists
    only) spreads mappings over columns of their own. `extra` adds a second sheet: its name, its row model and an
    async function given the endpoint's arguments and one page of items, returning that page's rows for it.
    `labels` are the service's Chinese field names, used for headings before the registered ones.
    """

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        paging = _paging_parameter(signature)
        if flatten and paging is not None:
            raise TypeError("flatten reads the whole list first: only for unpaged lists")
        row_model = model or item_model(function, items if isinstance(items, str) else "items")
        names = columns(row_model)
        added = [
            inspect.Parameter("_export_request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
            inspect.Parameter("format", inspect.Parameter.KEYWORD_ONLY, annotation=FormatParam, default=None),
        ]

        async def write(request: Request, kwargs: dict[str, Any]) -> StreamingResponse:
            workbook = xlsx.spool()
            writer = xlsx.XlsxWriter(workbook)
            written = {sheet: 0}
            if flatten:
                rows = [flat(item) async for page in pages(function, kwargs, None, items) for item in page]
                paths = list(dict.fromkeys(path for r in rows for path in r))
                flat_sheet = writer.add_sheet(sheet, [flat_label(p, labels) for p in paths])
                flat_sheet.extend([r.get(p) for p in paths] for r in rows)
                written[sheet] = len(rows)
            else:
                main = writer.add_sheet(sheet, [label(n, labels) for n in names])
                second = None
                if extra is not None:
                    extra_names = columns(extra[1])
                    second = writer.add_sheet(extra[0], [label(n, labels) for n in extra_names])
                    written[extra[0]] = 0
                async for page in pages(function, kwargs, paging, items):
                    main.extend(row(item, names) for item in page)
                    written[sheet] += len(page)
                    if second is not None and extra is not None and page:
                        extra_rows = await extra[2](kwargs, page)
                        second.extend(row(item, extra_names) for item in extra_rows)
                        written[extra[0]] += len(extra_rows)
            writer.close()
            await record_export(request, written)
            return file_response(workbook, f"{sheet}.xlsx")

        @functools.wraps(function)
        async def endpoint(*, _export_request: Request, format: str | None = None, **kwargs: Any) -> Any:
            if wants_xlsx(_export_request, format):
                return await write(_export_request, kwargs)
            return await function(**kwargs)

        # What a test needs to check every export's headings: the sheet name and its row models.
        endpoint.export = (sheet, row_model, extra[1] if extra else None)  # type: ignore[attr-defined]
        endpoint.export_labels = labels or {}  # type: ignore[attr-defined]
        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values()]
        endpoint.__signature__ = signature.replace(parameters=[*parameters, *added])  # type: ignore[attr-defined]
        return typing.cast(F, endpoint)

    return decorate


def exportable_with(vocabulary: Mapping[str, str]) -> Callable[..., Callable[[F], F]]:
    """`exportable` for one service: its vocabulary heads every list, `labels=` adds what one list means otherwise
    (the `kind` of an entity is not the `kind` of an asset). `exportable = exportable_with(EXPORT_LABELS)`."""

    def service_exportable(sheet: str, *, labels: Mapping[str, str] | None = None, **options: Any) -> Callable[[F], F]:
        return exportable(sheet, labels={**vocabulary, **(labels or {})}, **options)

    return service_exportable
