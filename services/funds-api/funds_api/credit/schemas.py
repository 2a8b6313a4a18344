"""Request and response bodies of microcredit."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from dixian_shared.idnumber import ResidentId
from funds_api.credit.enums import DueState, LoanPurpose, LoanStatus, RepaymentMethod
from funds_api.values import AsStoredRate, Day, Fen, NotBlank, Yuan

Amount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2), Fen]
NonNegative = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), Fen]
Rate = Annotated[
    Decimal, Field(ge=0, lt=1, max_digits=6, decimal_places=4, description="annual, e.g. 0.0310"), AsStoredRate
]
Text = Annotated[str, Field(min_length=1, max_length=2000), NotBlank]
Short = Annotated[str, Field(min_length=1, max_length=100), NotBlank]


class LoanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    borrower_id_number: ResidentId
    bank: Short = Field(description="放贷银行")
    contract_number: Annotated[str, Field(min_length=1, max_length=60), NotBlank]
    amount: Amount
    annual_rate: Rate
    term_months: Annotated[int, Field(ge=1, le=600)]
    loan_date: Day
    purpose: LoanPurpose
    purpose_note: Text | None = None
    repayment_method: RepaymentMethod = RepaymentMethod.interest_then_principal
    period_months: Annotated[int, Field(ge=1, le=12, description="付息/还款周期, months (3: quarterly)")] = 3
    renews_loan_id: Annotated[int | None, Field(ge=1, le=2**62, description="续贷: the loan this one renews")] = None


class LoanUpdate(BaseModel):
    """Only bookkeeping fields: amounts, dates and purpose are what the rules checked, so they are not PATCHed."""

    model_config = ConfigDict(extra="forbid")

    bank: Short | None = None
    contract_number: Annotated[str | None, Field(min_length=1, max_length=60), NotBlank] = None
    purpose_note: Text | None = None


class LoanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    region_code: str
    household_id: int
    member_id: int
    borrower_id_number: str
    borrower_name: str
    household_category: str
    bank: str
    contract_number: str
    amount: Yuan
    annual_rate: Annotated[Decimal, AsStoredRate]
    term_months: int
    loan_date: date
    maturity_date: date
    purpose: LoanPurpose
    purpose_note: str | None
    repayment_method: RepaymentMethod
    period_months: int
    status: LoanStatus
    settled_on: date | None
    renews_loan_id: int | None
    renewal_count: int
    extension_count: int
    created_at: datetime
    version: int


class InstallmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    due_on: date
    principal_due: Yuan
    interest_due: Yuan
    paid: bool = Field(description="repayments so far cover this and every earlier instalment")


class RepaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paid_on: Day
    principal: NonNegative
    interest: NonNegative
    note: Text | None = None


class RepaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    loan_id: int
    paid_on: date
    principal: Yuan
    interest: Yuan
    note: str | None
    created_at: datetime


class ExtensionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approved_on: Day
    new_maturity: Day
    reason: Text


class ExtensionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    loan_id: int
    approved_on: date
    old_maturity: date
    new_maturity: date
    reason: str


class LoanDetail(LoanRead):
    outstanding: Yuan = Field(description="principal still owed")
    schedule: list[InstallmentRead]
    repayments: list[RepaymentRead]
    extensions: list[ExtensionRead]


class DueInstallment(BaseModel):
    """An unpaid instalment: due within the window (逾期风险, flagged ahead) or already missed (已逾期)."""

    model_config = ConfigDict(from_attributes=True)

    loan_id: int
    seq: int
    region_code: str
    borrower_name: str
    bank: str
    due_on: date
    principal_short: Yuan = Field(description="principal of this and earlier instalments not yet repaid")
    interest_short: Yuan
    state: DueState


class DueList(BaseModel):
    items: list[DueInstallment]
    next_cursor: str | None = None
    window_days: int
    counts: dict[DueState, int] = Field(description="over the whole scope, not only this page")


class SubsidyLine(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    loan_id: int
    region_code: str
    borrower_name: str
    annual_rate: Annotated[Decimal, AsStoredRate]
    interest_paid: Yuan
    subsidy: Yuan


class SubsidyReport(BaseModel):
    date_from: date
    date_to: date
    subsidy_rate: Decimal
    rounding: str
    items: list[SubsidyLine]
    next_cursor: str | None = None
    total_interest_paid: Yuan = Field(description="over the whole scope and period")
    total_subsidy: Yuan


FIELD_LABELS = {
    "borrower_id_number": "借款人身份证号",
    "bank": "放贷银行",
    "contract_number": "借款合同号",
    "annual_rate": "年利率",
    "term_months": "贷款期限（月）",
    "loan_date": "放款日期",
    "purpose": "贷款用途",
    "purpose_note": "用途说明",
    "repayment_method": "还款方式",
    "period_months": "还款周期（月）",
    "renews_loan_id": "续贷原贷款",
    "principal": "还本金额",
    "interest": "付息金额",
    "approved_on": "展期批准日期",
    "new_maturity": "展期后到期日",
}
