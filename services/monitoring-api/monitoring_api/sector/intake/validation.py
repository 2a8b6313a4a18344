"""Validation of a batch of records column by column: staging tuples for the good rows, reasons for the others.

Column-wise (one `map` per field over the whole chunk, tuples built by `zip`) rather than row by row: the per-row
Python overhead is what limits a million-row upload, and the failures, being rare, are re-examined one at a time
for their precise reason.
"""

from collections.abc import Callable
from datetime import date
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any

from monitoring_api.sector.enums import DataType
from monitoring_api.sector.intake.fields import STAGED_COLUMNS, FieldSpec, specs_with_day
from monitoring_api.sector.intake.parsing import RecordBatch

MISSING = object()
BAD = object()
NOT_TEXT = "contains a NUL or an unpaired surrogate, not text"
# (column that must not exceed, column, column blamed, reason)
CROSS_CHECKS = (
    ("out_of_pocket", "amount", "out_of_pocket", "the out-of-pocket amount is more than the total cost"),
    ("event_date", "due_date", "due_date", "is before the start date"),
    ("event_date", "resolved_date", "resolved_date", "is before the start date"),
)


def is_text(raw: str) -> bool:
    """What PostgreSQL can store: no NUL, no lone surrogate (a JSON escape can produce either)."""
    if "\x00" in raw:
        return False
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fast_csv(spec: FieldSpec) -> Callable[[str], Any]:
    """For CSV, where every value is a string already checked to be text: as little as possible per value."""
    parse, absent = spec.parse, MISSING if spec.required else None

    def fast(raw: str) -> Any:
        if not raw:
            return absent
        try:
            return parse(raw)
        except ValueError:
            return BAD

    return fast


def _fast(spec: FieldSpec, checked: bool) -> Callable[[Any], Any]:
    """The parse as a function that never raises: the value, None when absent, or MISSING / BAD."""
    parse, required = spec.parse, spec.required

    def fast(raw: Any) -> Any:
        if raw is None or raw == "":
            return MISSING if required else None
        if type(raw) is not str:
            if type(raw) not in (int, float):
                return BAD
            raw = str(raw)
        elif checked and not is_text(raw):
            return BAD
        try:
            return parse(raw)
        except ValueError:
            return BAD

    return fast


def _reason(spec: FieldSpec, raw: Any) -> str:
    if raw is None or raw == "":
        return "required"
    if type(raw) is not str and type(raw) not in (int, float):
        return "must be a string or a number"
    if isinstance(raw, str) and not is_text(raw):
        return NOT_TEXT
    try:
        spec.parse(str(raw))
    except ValueError as exc:
        return str(exc)
    return "invalid"


def _column(spec: FieldSpec, fast: Callable[[Any], Any], raws: list[Any], plain_csv: bool) -> list[Any] | None:
    """A whole column through the plain parser when nothing in it is empty (the usual case); None when some value
    is empty or refused, and the column must go value by value."""
    if not plain_csv or "" in raws or None in raws:
        return None
    try:
        return list(map(spec.parse, raws))
    except ValueError:
        return None


class BatchValidator:
    def __init__(self, specs: list[FieldSpec]) -> None:
        self.specs = specs
        self.required = [spec.name for spec in specs if spec.required]
        self._fast = {checked: [_fast(spec, checked) for spec in specs] for checked in (False, True)}
        self._fast_csv = [_fast_csv(spec) for spec in specs]
        self._name_of = {spec.column: spec.name for spec in specs}
        self._by_name = {spec.name: spec for spec in specs}
        # Only the columns this data type fills go into the COPY: narrower tuples, less to encode.
        self.copy_columns = tuple(
            name for name in STAGED_COLUMNS if name in self._name_of or name in STAGED_COLUMNS[:3]
        )

    def _raw_columns(self, batch: RecordBatch) -> list[list[Any]]:
        if batch.header is None:
            return [list(map(methodcaller("get", spec.name), batch.records)) for spec in self.specs]
        positions = {name: index for index, name in enumerate(batch.header)}
        none = [None] * len(batch.lines)
        if batch.columns is not None:
            return [batch.columns[positions[spec.name]] if spec.name in positions else none for spec in self.specs]
        return [
            list(map(itemgetter(positions[spec.name]), batch.records)) if spec.name in positions else none
            for spec in self.specs
        ]

    def columns_as_sent(self, batch: RecordBatch) -> tuple[str, ...] | None:
        """The staging columns of the department's columns, in its order, when every line may be stored exactly as
        sent (PostgreSQL's COPY then reads the CSV itself); None when the values must go one by one."""
        if batch.columns is None or batch.header is None or not batch.clean:
            return None
        specs = [self._by_name.get(name) for name in batch.header]
        if None in specs or len(set(batch.header)) != len(batch.header):
            return None  # a column we do not store, or one sent twice
        for spec, values in zip(specs, batch.columns, strict=True):
            assert spec is not None
            if (spec.required and "" in values) or not spec.parse.as_sent(values):
                return None
        if self._crossed(batch):
            return None
        return tuple(spec.column for spec in specs if spec is not None)

    def _crossed(self, batch: RecordBatch) -> bool:
        """Whether some row of a column-wise batch fails a check across its fields (parsing what those need)."""
        assert batch.header is not None and batch.columns is not None
        sent = {
            self._by_name[name].column: (self._by_name[name], values)
            for name, values in zip(batch.header, batch.columns, strict=True)
        }
        needed = {
            column for small, large, *_ in CROSS_CHECKS if small in sent and large in sent for column in (small, large)
        }
        if not needed:
            return False
        parsed = {column: [sent[column][0].parse(raw) if raw else None for raw in sent[column][1]] for column in needed}
        problems: dict[int, list[dict[str, str]]] = {}
        self._cross_check(parsed, problems)
        return bool(problems)

    def check(
        self, batch_id: int, part_number: int, batch: RecordBatch
    ) -> tuple[list[tuple[Any, ...]], list[tuple[int, list[dict[str, str]], dict[str, Any]]]]:
        """(staging tuples, refused rows as (line, reasons, the record as sent))."""
        count = len(batch.lines)
        problems: dict[int, list[dict[str, str]]] = {}
        parsed: dict[str, list[Any]] = {}
        raw_columns = self._raw_columns(batch)
        plain_csv = batch.header is not None and batch.clean
        fasts = self._fast_csv if plain_csv else self._fast[not batch.clean]
        for spec, fast, raws in zip(self.specs, fasts, raw_columns, strict=True):
            values = _column(spec, fast, raws, plain_csv)
            if values is None:
                values = list(map(fast, raws))
                for index, value in enumerate(values):
                    if value is BAD or value is MISSING:
                        reason = _reason(spec, raws[index])
                        problems.setdefault(index, []).append({"field": spec.name, "reason": reason})
                        values[index] = None
            parsed[spec.column] = values
        self._cross_check(parsed, problems)
        columns = [repeat(batch_id, count), repeat(part_number, count), batch.lines]
        columns += [parsed[name] for name in self.copy_columns[3:]]
        rows = list(zip(*columns, strict=True))
        if not problems:
            return rows, []
        kept = [row for index, row in enumerate(rows) if index not in problems]
        refused = [(batch.lines[i], found, batch.record(i)) for i, found in sorted(problems.items())]
        return kept, refused

    def _cross_check(self, parsed: dict[str, list[Any]], problems: dict[int, list[dict[str, str]]]) -> None:
        """Impossible combinations within a row: more out of pocket than the cost, an end before the start."""
        for small, large, blame, reason in CROSS_CHECKS:
            if small not in parsed or large not in parsed:
                continue
            for index, (a, b) in enumerate(zip(parsed[small], parsed[large], strict=True)):
                if a is not None and b is not None and b < a and index not in problems:
                    problems[index] = [{"field": self._name_of[blame], "reason": reason}]


def validator_for(data_type: DataType, today: date) -> BatchValidator:
    return BatchValidator(specs_with_day(data_type, today))
