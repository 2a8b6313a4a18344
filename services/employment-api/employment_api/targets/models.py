"""What the target figures are computed from and, per village and month, the figures last computed."""

from datetime import date

from sqlalchemy import BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.models import Base


class VillageChange(Base):
    """A counter per village, moved by every write that can change its figures (entries, uploads, roster sync)."""

    __tablename__ = "village_change"
    __audited__ = False  # bookkeeping: the writes that move it are audited themselves

    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


class TargetFigures(Base):
    """A village's figures for a month under one set of rules, valid while its change counter is `computed_from`."""

    __tablename__ = "target_figures"
    __audited__ = False

    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    rules_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_from: Mapped[int] = mapped_column(BigInteger)
    labourers: Mapped[int] = mapped_column(Integer)
    employed_lifted: Mapped[int] = mapped_column(Integer)
    public_welfare_lifted: Mapped[int] = mapped_column(Integer)
    in_workshops: Mapped[int] = mapped_column(Integer)
    zero_employment_households: Mapped[int] = mapped_column(Integer)
