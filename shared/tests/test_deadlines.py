"""GET /deadlines items, as every service builds them: overdue grouped per place under the latest missed deadline."""

from datetime import date

from dixian_shared.deadlines import DeadlineKind, DueCount, due_items
from dixian_shared.workdays import WorkdayCalendar

KIND = DeadlineKind("test.visits", "入户走访", "village", "/visits/overdue")
VILLAGE, OTHER = "360702191200", "360702191201"


def test_a_place_with_two_missed_deadlines_gets_one_item_under_the_latest_with_every_late_record() -> None:
    dues = [
        DueCount(VILLAGE, date(2024, 8, 31), 2),
        DueCount(VILLAGE, date(2024, 9, 30), 3),
        DueCount(OTHER, date(2024, 9, 30), 1),
        DueCount(VILLAGE, date(2024, 10, 31), 4),
    ]
    items = due_items(KIND, WorkdayCalendar(), dues, on=date(2024, 10, 8))
    assert [(i.region_code, i.state, i.nominal_deadline, i.count) for i in items] == [
        (VILLAGE, "overdue", date(2024, 9, 30), 5),  # a newly missed deadline is a new item: reminded again
        (OTHER, "overdue", date(2024, 9, 30), 1),
        (VILLAGE, "upcoming", date(2024, 10, 31), 4),
    ]


def test_items_carry_the_working_day_deadline_and_the_list_behind_them() -> None:
    # 30 September 2024 is a Monday, a working day; 1 October 2024 is National Day.
    [missed, holiday] = due_items(
        KIND,
        WorkdayCalendar(),
        [DueCount(VILLAGE, date(2024, 9, 30), 1), DueCount(VILLAGE, date(2024, 10, 1), 1)],
        on=date(2024, 10, 1),
    )
    assert (missed.effective_deadline, missed.non_working_day) == (date(2024, 9, 30), False)
    assert (holiday.effective_deadline, holiday.non_working_day) == (date(2024, 9, 30), True)
    assert missed.link == f"/visits/overdue?region_code={VILLAGE}"
    filtered = DeadlineKind("test.x", "x", "town", "/projects?status=待乡审核")
    assert filtered.link_for(OTHER) == f"/projects?status=待乡审核&region_code={OTHER}"
