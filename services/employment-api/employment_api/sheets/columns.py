"""The sheet's columns: Chinese headings, and the coded ones with their drop-down lists."""

from dataclasses import dataclass

from employment_api.ledger.enums import EmploymentStatus, JobChannel, Place


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int
    choices: tuple[str, ...] = ()
    read_only: bool = False  # shown for the person filling it in; checked, never written


COLUMNS = (
    Column("labourer_id", "劳动力编号", 12, read_only=True),
    Column("id_number", "身份证号", 21, read_only=True),
    Column("name", "姓名", 10, read_only=True),
    Column("status", "就业状态", 12, tuple(EmploymentStatus)),
    Column("place", "务工地点", 11, tuple(Place)),
    Column("employer", "就业单位", 28),
    Column("months_worked", "务工月数", 10),
    Column("monthly_income", "月收入（元）", 13),
    Column("job_channel", "就业渠道", 12, tuple(JobChannel)),
)
HEADINGS = tuple(column.heading for column in COLUMNS)
INDEX = {column.key: n for n, column in enumerate(COLUMNS)}
SHEET_TITLE = "就业台账"
