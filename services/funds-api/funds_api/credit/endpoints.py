"""Routes of microcredit: loans, schedules, repayments, extensions, the due list and the interest subsidy."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.errors import InvalidField
from dixian_shared.pagination import Page, make_page
from dixian_shared.personal import PersonalData, as_seen_by
from dixian_shared.routing import DbSession, make_router
from funds_api.credit import repository, service
from funds_api.credit.enums import DueState, LoanStatus
from funds_api.credit.schemas import (
    DueInstallment,
    DueList,
    ExtensionCreate,
    ExtensionRead,
    InstallmentRead,
    LoanCreate,
    LoanDetail,
    LoanRead,
    LoanUpdate,
    RepaymentCreate,
    RepaymentRead,
    SubsidyLine,
    SubsidyReport,
)
from funds_api.credit.subsidy import ROUNDING
from funds_api.deps import Paging, RecordId, RegionFilter, Rules, Staff, Today
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import DUE_LABELS
from funds_api.registry import RegistryLink
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["microcredit"])


async def _detail(session: DbSession, principal: Staff, loan_id: int, today: date, response: Response) -> LoanDetail:
    loan, outstanding, schedule, repayments, extensions = await service.loan_detail(session, principal, loan_id, today)
    set_etag(response, loan.version)
    return LoanDetail(
        **LoanRead.model_validate(loan).model_dump(),
        outstanding=outstanding,
        schedule=[InstallmentRead.model_validate(line._asdict()) for line in schedule],
        repayments=[RepaymentRead.model_validate(r) for r in repayments],
        extensions=[ExtensionRead.model_validate(e) for e in extensions],
    )


@router.post(
    "/loans",
    response_model=LoanDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Record a microcredit loan (小额信贷): the rules and the registry are checked first",
)
async def create_loan(
    session: DbSession,
    response: Response,
    principal: Staff,
    registry: RegistryLink,
    rules: Rules,
    today: Today,
    body: LoanCreate,
) -> LoanDetail:
    loan = await service.create_loan(session, principal, registry, body, rules.credit, today)
    response.headers["Location"] = f"/loans/{loan.id}"
    return await _detail(session, principal, loan.id, today, response)


@router.get("/loans", response_model=Page[LoanRead], summary="Loans in the caller's region", responses=XLSX_RESPONSES)
@exportable("小额信贷", labels={"purpose": "贷款用途", "status": "贷款状态"})
async def list_loans(
    session: DbSession,
    principal: Staff,
    params: Paging,
    region_code: RegionFilter = None,
    status: LoanStatus | None = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[LoanRead]:
    rows = await repository.list_loans(
        session, principal, params, region_code=region_code, status=status, household_id=household_id
    )
    items, cursor = make_page(rows, params, lambda loan: [loan.id])
    return Page(items=[LoanRead.model_validate(loan) for loan in items], next_cursor=cursor)


@router.get(
    "/loans/due",
    response_model=DueList,
    summary="Unpaid instalments due within the window (逾期风险, flagged ahead) or already missed (已逾期)",
    responses=XLSX_RESPONSES,
)
@exportable("贷款到期", labels=DUE_LABELS)
async def due_loans(
    session: DbSession,
    principal: Staff,
    params: Paging,
    rules: Rules,
    today: Today,
    on: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="as of this day; today by default")] = None,
    region_code: RegionFilter = None,
) -> DueList:
    day = on or today
    window = rules.credit.due_window_days
    rows = await repository.due_page(session, principal, params, day, window, region_code)
    counts = await repository.due_counts(session, principal, day, window, region_code)
    items, cursor = make_page(rows, params, lambda r: [r.due_on, r.loan_id, r.seq])
    return DueList(
        items=[DueInstallment.model_validate(r._asdict()) for r in items],
        next_cursor=cursor,
        window_days=window,
        counts={state: counts.get(state.value, 0) for state in DueState},
    )


@router.get(
    "/loans/subsidy",
    response_model=SubsidyReport,
    summary="Interest subsidy (贴息) on the interest paid in a period, per loan and in total",
    responses=XLSX_RESPONSES,
)
@exportable("贴息", labels={"interest_paid": "已付利息", "subsidy": "贴息金额"})
async def loan_subsidy(
    session: DbSession,
    principal: Staff,
    params: Paging,
    rules: Rules,
    date_from: date,
    date_to: date,
    region_code: RegionFilter = None,
) -> SubsidyReport:
    if date_to < date_from:
        raise InvalidField("query.date_to", "must not be before date_from", "不能早于开始日期")
    rate = rules.credit.subsidy_rate
    rows, interest, subsidy = await repository.subsidy_page(
        session, principal, params, rate, date_from, date_to, region_code
    )
    items, cursor = make_page(rows, params, lambda r: [r.loan_id])
    return SubsidyReport(
        date_from=date_from,
        date_to=date_to,
        subsidy_rate=rate,
        rounding=ROUNDING,
        items=[SubsidyLine.model_validate(r._asdict()) for r in items],
        next_cursor=cursor,
        total_interest_paid=interest,
        total_subsidy=subsidy,
    )


@router.get("/loans/{loan_id}", response_model=LoanDetail, summary="A loan with its schedule, repayments, extensions")
async def get_loan(
    session: DbSession, response: Response, principal: Staff, personal: PersonalData, today: Today, loan_id: RecordId
) -> LoanDetail:
    detail = await _detail(session, principal, loan_id, today, response)
    return await as_seen_by(session, principal, personal, detail, "loan", loan_id)


@router.patch("/loans/{loan_id}", response_model=LoanDetail, summary="Correct a loan's bank, contract number or note")
async def update_loan(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    loan_id: RecordId,
    body: LoanUpdate,
    if_match: IfMatch = None,
) -> LoanDetail:
    await service.update_loan(session, principal, loan_id, if_match, body)
    return await _detail(session, principal, loan_id, today, response)


@router.post(
    "/loans/{loan_id}/repayments",
    response_model=RepaymentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a repayment of principal and/or interest",
)
async def record_repayment(
    session: DbSession, response: Response, principal: Staff, today: Today, loan_id: RecordId, body: RepaymentCreate
) -> RepaymentRead:
    repayment = await service.record_repayment(session, principal, loan_id, body, today)
    response.headers["Location"] = f"/loans/{loan_id}"
    return RepaymentRead.model_validate(repayment)


@router.post(
    "/loans/{loan_id}/extensions",
    response_model=ExtensionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record an extension (展期) of the loan (If-Match: the loan's ETag); the schedule is redrawn",
)
async def extend_loan(
    session: DbSession,
    response: Response,
    principal: Staff,
    rules: Rules,
    today: Today,
    loan_id: RecordId,
    body: ExtensionCreate,
    if_match: IfMatch = None,
) -> ExtensionRead:
    extension = await service.extend_loan(session, principal, loan_id, if_match, body, rules.credit, today)
    loan = await service.require_loan(session, principal, loan_id)
    set_etag(response, loan.version)
    response.headers["Location"] = f"/loans/{loan_id}"
    return ExtensionRead.model_validate(extension)
