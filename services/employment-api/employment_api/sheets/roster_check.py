"""Checks the rows that passed on their own against the roster's facts: the labourer exists, is of this village, is
the person the ID number names, and is on the month's roster (the facts come from staging.village_facts)."""

from employment_api.sheets.rows import Checked, RowError
from employment_api.sheets.staging import Fact

UNKNOWN = "劳动力编号不存在"
ELSEWHERE = "该劳动力不属于本村"
OTHER_PERSON = "身份证号与劳动力编号不一致"
OFF_ROSTER = "该劳动力本月不在名册内（劳动能力、劳动年龄、健在、在册）"


def check(checked: Checked, facts: dict[int, Fact]) -> tuple[list[RowError], dict[int, int]]:
    """One error per row at most, the first of the four that fails, and {sheet row: labourer id} of the ids the
    village does not have (reported as unknown until `placed` knows which are of another village)."""
    found, missing = [], {}
    for row, labourer, id_number in zip(checked.row_no, checked.labourer_id, checked.id_number, strict=True):
        fact = facts.get(labourer)
        if fact is None:
            found.append(RowError(row, "labourer_id", UNKNOWN))
            missing[row] = labourer
        elif fact["id_number"] != id_number:
            found.append(RowError(row, "id_number", OTHER_PERSON))
        elif not fact["on_roster"]:
            found.append(RowError(row, "labourer_id", OFF_ROSTER))
    return found, missing


def placed(errors: list[RowError], missing: dict[int, int], elsewhere: set[int]) -> list[RowError]:
    """The errors with each missing labourer of another village (`elsewhere`) said to be so."""
    return [
        RowError(error.row, error.column, ELSEWHERE) if missing.get(error.row) in elsewhere else error
        for error in errors
    ]
