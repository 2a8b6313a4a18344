"""Request and response bodies for households and members."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dixian_shared.contracts import AssistanceStatus
from dixian_shared.errors import BilingualValueError
from dixian_shared.idnumber import ResidentId
from dixian_shared.regioncode import RegionCode
from monitoring_api.households.enums import (
    MAX_RISK_CAUSES,
    RISK_CAUSES,
    Category,
    Education,
    Health,
    HouseholdStatus,
    LabourSkill,
    MemberStatus,
    Relation,
    SchoolStatus,
)
from monitoring_api.income.schemas import EARLIEST_YEAR, VerifiedIncomeRead

Name = Annotated[str, Field(min_length=1, max_length=50)]
Phone = Annotated[str, Field(pattern=r"^[0-9+\- ]{5,20}$")]
RiskCause = Annotated[str, Field(pattern="^(" + "|".join(RISK_CAUSES) + ")$")]
RiskCauses = Annotated[list[RiskCause], Field(max_length=MAX_RISK_CAUSES)]
# No registry date is earlier than the national poverty registration (建档立卡); 0001-01-01 would make a subject
# look included two thousand years ago, past every six-month rule.
EARLIEST_DAY = date(EARLIEST_YEAR, 1, 1)
LATEST_DAY = date(2100, 12, 31)  # as far ahead as the registry's year fields reach
InclusionDate = Annotated[date, Field(ge=EARLIEST_DAY)]


def not_null(value: object) -> object:
    """PATCH leaves out what it does not change; a null would blank a field the record cannot be without."""
    if value is None:
        raise BilingualValueError("may be left out, not set to null", "不能为空（不修改请不要提交此字段）")
    return value


class MemberFields(BaseModel):
    name: Name
    relation: Relation
    labour_skill: LabourSkill
    health: Health = Health.healthy
    school_status: SchoolStatus = SchoolStatus.not_student
    education: Education | None = None
    medical_insured: bool = False
    pension_insured: bool = False
    dibao: bool = Field(default=False, description="低保")
    tekun: bool = Field(default=False, description="特困")
    public_welfare_job: bool = Field(default=False, description="公益性岗位")
    phone: Phone | None = None


class MemberCreate(MemberFields):
    model_config = ConfigDict(extra="forbid")

    id_number: ResidentId


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    relation: Relation | None = None
    labour_skill: LabourSkill | None = None
    health: Health | None = None
    school_status: SchoolStatus | None = None
    education: Education | None = None
    medical_insured: bool | None = None
    pension_insured: bool | None = None
    dibao: bool | None = None
    tekun: bool | None = None
    public_welfare_job: bool | None = None
    phone: Phone | None = None

    _required = field_validator(
        "name",
        "relation",
        "labour_skill",
        "health",
        "school_status",
        "medical_insured",
        "pension_insured",
        "dibao",
        "tekun",
        "public_welfare_job",
    )(not_null)


ShownPhone = Annotated[str | None, Field(description="masked (139****1234) in lists and for roles without the record")]


class MemberRead(MemberFields):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    id_number: str = Field(description="masked (360702********1234) in lists and for roles without the full record")
    phone: ShownPhone = None
    sex: str
    birth_date: date
    status: MemberStatus
    status_date: date | None
    status_note: str | None
    version: int


class HouseholdFields(BaseModel):
    household_number: Annotated[str, Field(min_length=1, max_length=30)] | None = None
    head_name: Name
    category: Category
    address: Annotated[str, Field(max_length=200)] | None = None
    phone: Phone | None = None
    bank_account: Annotated[str, Field(pattern=r"^[0-9]{8,40}$")] | None = None
    risk_causes: RiskCauses = []
    lifted_year: Annotated[int, Field(ge=2013, le=2100)] | None = None


class HouseholdCreate(HouseholdFields):
    # A field the registry does not take (帮扶状态, 风险消除) is refused, not silently dropped.
    model_config = ConfigDict(extra="forbid")

    region_code: RegionCode
    members: Annotated[list[MemberCreate], Field(max_length=30)] = []
    included_on: InclusionDate | None = Field(
        default=None,
        description="纳入监测时间 of a monitoring subject registered from earlier records (only for the three subject "
        "categories); without it the subject counts as included on the day it is registered, so the six-month rules "
        "apply to it as to one included here",
    )


class HouseholdUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household_number: Annotated[str, Field(min_length=1, max_length=30)] | None = None
    head_name: Name | None = None
    category: Category | None = Field(
        default=None,
        description="always refused: a category is decided by 识别纳入 (inclusion cases) and 风险消除 (eliminations); "
        "the district corrects a wrong one with POST /households/{id}/category-corrections",
    )
    address: Annotated[str, Field(max_length=200)] | None = None
    phone: Phone | None = None
    bank_account: Annotated[str, Field(pattern=r"^[0-9]{8,40}$")] | None = None
    risk_causes: RiskCauses | None = None
    lifted_year: Annotated[int, Field(ge=2013, le=2100)] | None = None
    assistance_status: AssistanceStatus | None = Field(
        default=None,
        description="always refused: the provincial 帮扶状态 is the province's workflow, set only by its updates",
    )

    _required = field_validator("head_name", "risk_causes")(not_null)


class CategoryCorrection(BaseModel):
    """A data correction by the district (not a decision): the category was recorded wrongly."""

    model_config = ConfigDict(extra="forbid")

    category: Category
    reason: Annotated[str, Field(min_length=1, max_length=500, description="why the recorded category was wrong")]
    included_on: InclusionDate | None = Field(
        default=None, description="the inclusion date, when the corrected category is a monitoring subject's"
    )


class HouseholdRead(HouseholdFields):
    model_config = ConfigDict(from_attributes=True)

    id: int
    region_code: str
    phone: ShownPhone = None
    status: HouseholdStatus
    included_on: date | None
    risk_eliminated_on: date | None = Field(description="标注风险消除: the district's decision date; category is kept")
    elimination_id: int | None = Field(description="the elimination that marked the risk eliminated")
    assistance_status: AssistanceStatus | None = Field(
        default=None, description="帮扶状态 in the province's system, as its last update set it (never by PATCH)"
    )
    created_at: datetime
    updated_at: datetime
    version: int


class HouseholdDetail(HouseholdRead):
    members: list[MemberRead]
    income_verifications: list[VerifiedIncomeRead] = Field(
        default=[], description="收入核实: the per-capita net income the province verified, per year, latest first"
    )


Note = Annotated[str, Field(min_length=1, max_length=500)]
RecordId = Annotated[int, Field(ge=1, le=2**62)]


class MemberMoveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_household_id: RecordId
    moved_on: date
    reason: Note | None = None
    relation: Relation | None = Field(
        default=None, description="与户主关系 in the new household; required when the member was 户主"
    )


class HouseholdMoveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_region_code: RegionCode
    moved_on: date
    reason: Note | None = None


class DeathCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    died_on: date
    note: Note | None = None


class DepartureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    departed_on: date
    note: Note | None = Field(default=None, description="where to, why (迁出)")


class MemberMoveRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    from_household_id: int
    to_household_id: int
    moved_on: date
    reason: str | None
    recorded_at: datetime


class HouseholdMoveRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    from_region_code: str
    to_region_code: str
    moved_on: date
    reason: str | None
    recorded_at: datetime


class MemberExitRead(BaseModel):
    """A death or departure, kept on the member's row."""

    model_config = ConfigDict(from_attributes=True)

    member_id: int = Field(validation_alias="id")
    name: str
    status: MemberStatus
    status_date: date | None
    status_note: str | None


class HouseholdHistory(BaseModel):
    household_id: int
    household_moves: list[HouseholdMoveRead]
    member_moves: list[MemberMoveRead] = Field(description="members who moved into or out of this household")
    member_exits: list[MemberExitRead] = Field(description="members of this household who died or departed")
    assistance_statuses: list["AssistanceStatusRead"] = Field(
        default=[], description="the provincial 帮扶状态 as the province's updates changed it, oldest first"
    )


class AssistanceStatusRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int = Field(description="the province's update that made the change")
    status: AssistanceStatus
    previous_status: AssistanceStatus | None
    changed_at: datetime | None = Field(description="when the province made the change, when it says")
    recorded_at: datetime
