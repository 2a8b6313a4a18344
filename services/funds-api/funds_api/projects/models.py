"""The project library (项目库): projects, the steps taken on them, change requests and budget/settlement reviews."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.models import Base, Timestamped, Versioned, str_enum
from funds_api.projects.enums import ChangeStatus, Progress, ProjectStatus, ProjectType, ReviewKind, Step


class Project(Timestamped, Versioned, Base):
    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("budget > 0", name="budget_positive"),
        Index("ix_project_region_code_id", "region_code", "id"),
        Index("ix_project_year_town_code", "year", "town_code"),
        Index("ix_project_year_status", "year", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # the library year the project is funded in
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[ProjectType] = mapped_column(str_enum(ProjectType, "project_type", 10))
    region_code: Mapped[str] = mapped_column(String(12))  # the village where it is built
    # The village's town (12 digits), kept beside the village so rollups per town group on one indexed column.
    town_code: Mapped[str] = mapped_column(String(12))
    owner_department: Mapped[str] = mapped_column(String(50))  # 项目主管部门, e.g. 区农办
    budget: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # Planned funding by level ([{"level": "中央", "amount": "…"}]); the money itself comes through allocations.
    funding_plan: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    performance_targets: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # 绩效目标
    description: Mapped[str | None] = mapped_column(Text)
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ProjectStatus] = mapped_column(str_enum(ProjectStatus, "project_status", 10))
    declared_on: Mapped[date] = mapped_column(Date)
    declared_by: Mapped[str] = mapped_column(String(120))
    notice_start: Mapped[date | None] = mapped_column(Date)  # 公示 after the town's review
    notice_end: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[Progress] = mapped_column(str_enum(Progress, "project_progress", 10), default=Progress.not_started)
    completed_on: Mapped[date | None] = mapped_column(Date)


class ProjectStep(Base):
    """One step taken on a project: who, when, the result and why. The project's history."""

    __tablename__ = "project_step"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    step: Mapped[Step] = mapped_column(str_enum(Step, "project_step_kind", 10))
    taken_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class ProjectChange(Timestamped, Versioned, Base):
    """项目变更: the fields before and after and why; applied to the project only when the district approves."""

    __tablename__ = "project_change"
    __table_args__ = (
        # One change at a time per project: a second would be decided against a project the first may alter.
        Index(
            "uq_project_change_project_id_pending",
            "project_id",
            unique=True,
            postgresql_where=text("status = '待审批'"),
        ),
        Index("ix_project_change_region_code_id", "region_code", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSONB)
    after: Mapped[dict[str, Any]] = mapped_column(JSONB)
    project_version: Mapped[int] = mapped_column(Integer)  # the project as it was when the change was asked
    status: Mapped[ChangeStatus] = mapped_column(str_enum(ChangeStatus, "change_status", 10))
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(120))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_note: Mapped[str | None] = mapped_column(Text)


class ProjectReview(Timestamped, Base):
    """预算评审 / 结算评审 of a project, as the reviewing agency reported it."""

    __tablename__ = "project_review"
    __table_args__ = (
        CheckConstraint("submitted_amount >= 0 AND approved_amount >= 0", name="amounts_not_negative"),
        Index("ix_project_review_project_id_id", "project_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, "review_kind", 10))
    reviewed_on: Mapped[date] = mapped_column(Date)
    agency: Mapped[str] = mapped_column(String(100))  # 评审机构
    submitted_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # 送审金额
    approved_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # 审定金额
    conclusion: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
