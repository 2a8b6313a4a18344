"""Checks a sheet chunk by chunk and hands the new entries of each good chunk on as it goes, so PostgreSQL writes
one chunk (COPY) while the next is being checked. No queries here: the caller streams `entries()` into COPY.

Once any row is wrong nothing more is handed on and the caller rolls back what was written: the file is applied whole
or not at all. Row errors win: if any row is wrong on its own, the roster's objections are not reported (as before).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from employment_api.sheets import roster_check, rows
from employment_api.sheets.reader import Columns
from employment_api.sheets.rows import Checked, RowError
from employment_api.sheets.staging import Fact

CHUNK_ROWS = 10_000


@dataclass
class ChunkedWrite:
    sheet: Columns
    facts: dict[int, Fact]
    village: str
    month: date
    late: bool
    late_reason: str | None
    row_errors: list[RowError] = field(default_factory=list)
    roster_errors: list[RowError] = field(default_factory=list)
    missing: dict[int, int] = field(default_factory=dict)  # sheet row → labourer id the village does not have
    existing: list[tuple[Any, ...]] = field(default_factory=list)  # (labourer_id, job fields…) with an entry already

    @property
    def wrong(self) -> bool:
        return bool(self.row_errors or self.roster_errors)

    def entries(self) -> Iterator[tuple[Any, ...]]:
        """Rows for ledger_entry (staging.ENTRY_COLUMNS) of the labourers without an entry this month."""
        seen: dict[int, int] = {}
        reason = self.late_reason if self.late else None
        for start in range(0, len(self.sheet.filled), CHUNK_ROWS):
            stop = start + CHUNK_ROWS
            columns = [column[start:stop] for column in self.sheet.columns]
            checked, errors = rows.check(columns, self.sheet.filled[start:stop], rows.FIRST_DATA_ROW + start, seen)
            self.row_errors += errors
            if self.row_errors:
                continue  # the rest is still checked on its own, for the report
            found, missing = roster_check.check(checked, self.facts)
            self.roster_errors += found
            self.missing.update(missing)
            if self.wrong:
                continue
            yield from self._split(checked, reason)

    def _split(self, checked: Checked, reason: str | None) -> Iterator[tuple[Any, ...]]:
        c, facts = checked, self.facts
        for n, labourer in enumerate(c.labourer_id):
            job = (c.status[n], c.place[n], c.employer[n], c.months_worked[n], c.monthly_income[n], c.job_channel[n])
            fact = facts[labourer]
            if fact["has_entry"]:
                self.existing.append((labourer, *job))
            else:
                yield (labourer, self.month, self.village, fact["household_id"], *job, self.late, reason, 1)

    def errors(self, elsewhere: set[int]) -> list[RowError]:
        """The report: row errors if any, else the roster's (`elsewhere`: the missing ids of other villages)."""
        if self.row_errors:
            return self.row_errors
        return roster_check.placed(self.roster_errors, self.missing, elsewhere)
