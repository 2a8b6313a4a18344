"""The state of a library year per town: next year's library opens in July and must be complete by 31 October.

One definition of "complete" and "late", used by GET /project-library/{year} and by GET /deadlines alike: a town's
library is complete when it has declared at least one project and none is still awaiting a review; it is late when
it is not complete after the effective deadline (the last working day on or before 31 October).
"""

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.workdays import WorkdayCalendar
from funds_api.projects import repository
from funds_api.projects.schemas import LibraryProgress, TownLibrary
from funds_api.rules import LibraryRules


def is_complete(row: Any) -> bool:
    return bool(row.declared > 0 and row.awaiting_town == 0 and row.awaiting_district == 0)


async def progress(
    session: AsyncSession,
    scope: str,
    *,
    year: int,
    on: date,
    rules: LibraryRules,
    calendar: WorkdayCalendar,
) -> LibraryProgress:
    deadline = calendar.deadline(rules.due_for(year))
    opens_on = rules.opens_for(year)
    towns = []
    for row in await repository.library_by_town(session, scope, year):
        complete = is_complete(row)
        late = not complete and on > deadline.effective
        towns.append(
            TownLibrary(
                **row._asdict(),
                complete=complete,
                late=late,
                days_late=(on - deadline.effective).days if late else 0,
            )
        )
    return LibraryProgress(
        year=year,
        on=on,
        opens_on=opens_on,
        nominal_deadline=deadline.nominal,
        effective_deadline=deadline.effective,
        non_working_day=deadline.on_non_working_day,
        is_open=opens_on <= on <= date(year, 12, 31),
        towns=towns,
    )
