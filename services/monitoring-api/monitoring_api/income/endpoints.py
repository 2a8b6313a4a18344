"""Routes of yearly household income."""

from typing import Annotated

from fastapi import Path, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Reader, RecordId, Rules, Today, Writer
from monitoring_api.income import service
from monitoring_api.income.schemas import EARLIEST_YEAR, IncomeRead, IncomeWrite

router = make_router(tags=["income"])

Year = Annotated[int, Path(ge=EARLIEST_YEAR, le=2100, description="the income year")]


@router.put(
    "/households/{household_id}/income/{year}",
    response_model=IncomeRead,
    responses={201: {"model": IncomeRead, "description": "created"}},
    summary="Record or replace a year's income (If-Match when replacing)",
)
async def put_income(
    session: DbSession,
    response: Response,
    principal: Writer,
    household_id: RecordId,
    year: Year,
    body: IncomeWrite,
    rules: Rules,
    today: Today,
    if_match: IfMatch = None,
) -> IncomeRead:
    record, created = await service.put_income(
        session, principal, household_id, year, if_match, body, rules=rules, today=today
    )
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/households/{household_id}/income/{year}"
    set_etag(response, record.version)
    return IncomeRead.model_validate(record)


@router.get(
    "/households/{household_id}/income", response_model=list[IncomeRead], summary="A household's income, every year"
)
async def list_income(session: DbSession, principal: Reader, household_id: RecordId) -> list[IncomeRead]:
    records = await service.list_income(session, principal, household_id)
    return [IncomeRead.model_validate(r) for r in records]


@router.get("/households/{household_id}/income/{year}", response_model=IncomeRead, summary="One year's income")
async def get_income(
    session: DbSession, response: Response, principal: Reader, household_id: RecordId, year: Year
) -> IncomeRead:
    record = await service.get_income(session, principal, household_id, year)
    set_etag(response, record.version)
    return IncomeRead.model_validate(record)
