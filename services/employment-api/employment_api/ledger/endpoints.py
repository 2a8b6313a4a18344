"""Routes of the monthly employment ledger."""

from typing import Annotated, Any

from fastapi import Depends, Path, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import Calendar, RecordId, Rules, Staff, Today, Town, Village
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.labels import LEDGER_LABELS, VILLAGE_MONTH_LABELS
from employment_api.ledger import repository, service
from employment_api.ledger import status as month_status
from employment_api.ledger.enums import EmploymentStatus
from employment_api.ledger.schemas import (
    EntryCreate,
    EntryItem,
    EntryRead,
    EntryUpdate,
    MonthRead,
    MonthReport,
    TownMonth,
    VillageMonth,
)
from employment_api.months import Month

router = make_router(tags=["ledger"])

VillageCode = Annotated[str, Path(pattern=r"^\d{12}$", description="the village")]


@router.post(
    "/ledger/{month}/entries",
    response_model=EntryRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a labourer's month (a locked month needs late_reason)",
)
async def create_entry(
    session: DbSession,
    response: Response,
    principal: Staff,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    month: Month,
    body: EntryCreate,
) -> EntryRead:
    entry = await service.create_entry(session, principal, month, body, rules=rules, calendar=calendar, today=today)
    response.headers["Location"] = f"/ledger/entries/{entry.id}"
    set_etag(response, entry.version)
    return EntryRead.model_validate(entry)


@router.get(
    "/ledger/{month}/entries",
    response_model=Page[EntryItem],
    summary="The month's entries in the region, each labourer named",
    responses=XLSX_RESPONSES,
)
@exportable("就业台账", labels=LEDGER_LABELS)
async def list_entries(
    session: DbSession,
    principal: Staff,
    month: Month,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    employment_status: Annotated[EmploymentStatus | None, Query(alias="status")] = None,
) -> Page[EntryItem]:
    rows = await repository.page_entries(
        session, principal, month, params, region_code=region_code, status=employment_status
    )
    items, cursor = make_page(rows, params, lambda row: [row.region_code, row.labourer_id])
    return Page(items=[EntryItem.model_validate(row, from_attributes=True) for row in items], next_cursor=cursor)


@router.get("/ledger/entries/{entry_id}", response_model=EntryRead, summary="One entry")
async def get_entry(session: DbSession, response: Response, principal: Staff, entry_id: RecordId) -> EntryRead:
    entry = await service.require_entry(session, principal, entry_id)
    set_etag(response, entry.version)
    return EntryRead.model_validate(entry)


@router.patch("/ledger/entries/{entry_id}", response_model=EntryRead, summary="Change an entry (If-Match)")
async def update_entry(
    session: DbSession,
    response: Response,
    principal: Staff,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    entry_id: RecordId,
    body: EntryUpdate,
    if_match: IfMatch = None,
) -> EntryRead:
    entry = await service.update_entry(
        session, principal, entry_id, if_match, body, rules=rules, calendar=calendar, today=today
    )
    set_etag(response, entry.version)
    return EntryRead.model_validate(entry)


@router.post(
    "/ledger/{month}/villages/{region_code}/submit",
    response_model=MonthRead,
    summary="The village marks its month complete (by the 15th)",
)
async def submit_month(
    session: DbSession,
    principal: Village,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    month: Month,
    region_code: VillageCode,
) -> MonthRead:
    row = await service.submit(session, principal, region_code, month, rules=rules, calendar=calendar, today=today)
    return MonthRead.model_validate(row)


@router.post(
    "/ledger/{month}/villages/{region_code}/confirm",
    response_model=MonthRead,
    summary="The town confirms a village's month (by the 25th)",
)
async def confirm_month(
    session: DbSession,
    principal: Town,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    month: Month,
    region_code: VillageCode,
) -> MonthRead:
    row = await service.confirm(session, principal, region_code, month, rules=rules, calendar=calendar, today=today)
    return MonthRead.model_validate(row)


async def towns_of(kwargs: dict[str, Any], _villages: list[VillageMonth]) -> list[TownMonth]:
    """The second sheet of the month's status export: each town's state, from the same report."""
    report = await month_status.report(
        kwargs["session"],
        kwargs["principal"],
        kwargs["month"],
        rules=kwargs["rules"],
        calendar=kwargs["calendar"],
        today=kwargs["today"],
        region_code=kwargs["region_code"],
    )
    return report.towns


@router.get(
    "/ledger/{month}/status",
    response_model=MonthReport,
    summary="Every village and town: 未开始/填报中/已提交/已确认/逾期, with both deadlines",
    responses=XLSX_RESPONSES,
)
@exportable(
    "村级填报状态",
    items=lambda r: r.villages,
    model=VillageMonth,
    labels=VILLAGE_MONTH_LABELS,
    extra=("乡镇确认状态", TownMonth, towns_of),
)
async def month_report(
    session: DbSession,
    principal: Staff,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    month: Month,
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
) -> MonthReport:
    return await month_status.report(
        session, principal, month, rules=rules, calendar=calendar, today=today, region_code=region_code
    )
