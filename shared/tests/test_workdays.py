"""The working-day calendar: real 2024 and 2026 holidays and adjusted working days, and the configuration table."""

from datetime import date

from dixian_shared.workdays import CalendarSettings, WorkdayCalendar

calendar = WorkdayCalendar()


def test_ordinary_days() -> None:
    assert calendar.kind(date(2026, 11, 16)) == "工作日"  # a Monday
    assert calendar.kind(date(2026, 11, 15)) == "周末"  # a Sunday


def test_national_day_and_its_adjusted_working_days_2024() -> None:
    assert calendar.kind(date(2024, 10, 1)) == "节假日"
    assert calendar.kind(date(2024, 10, 5)) == "节假日"  # a Saturday inside the holiday
    assert calendar.is_workday(date(2024, 9, 29))  # a Sunday worked in lieu (调休上班)
    assert calendar.is_workday(date(2024, 10, 12))  # a Saturday worked in lieu


def test_spring_festival_2026() -> None:
    assert calendar.kind(date(2026, 2, 17)) == "节假日"
    assert calendar.is_workday(date(2026, 2, 14))  # Saturday worked before the festival
    assert calendar.is_workday(date(2026, 2, 28))  # Saturday worked after it


def test_deadline_on_a_sunday_moves_to_the_friday_before() -> None:
    # 15 November 2026 is a Sunday: the village ledger is due on Friday the 13th.
    deadline = calendar.deadline(date(2026, 11, 15))
    assert deadline.effective == date(2026, 11, 13)
    assert deadline.on_non_working_day


def test_deadline_inside_a_holiday_moves_before_the_holiday() -> None:
    # 2 October 2024 is National Day: the last working day before it is Sunday 29 September (adjusted).
    deadline = calendar.deadline(date(2024, 10, 2))
    assert deadline.effective == date(2024, 9, 30)
    deadline = calendar.deadline(date(2024, 10, 1))
    assert deadline.effective == date(2024, 9, 30)


def test_deadline_on_an_adjusted_working_day_stays() -> None:
    deadline = calendar.deadline(date(2024, 9, 29))
    assert deadline.effective == date(2024, 9, 29)
    assert not deadline.on_non_working_day


def test_counting_working_days_skips_holidays() -> None:
    # Three working days before Tuesday 8 October 2024 (first day back): 30 Sept, 29 Sept (Sunday, adjusted), 27 Sept.
    assert calendar.add_workdays(date(2024, 10, 8), -3) == date(2024, 9, 27)
    assert calendar.add_workdays(date(2024, 9, 30), 1) == date(2024, 10, 8)
    assert calendar.workdays_between(date(2024, 9, 30), date(2024, 10, 8)) == 1


def test_years_the_package_does_not_know_use_the_configuration_table() -> None:
    unknown = date(2031, 10, 1)  # a Wednesday
    assert not calendar.known(unknown)
    assert calendar.is_workday(unknown)  # weekends only, nothing configured
    configured = WorkdayCalendar(
        CalendarSettings(holidays={date(2031, 10, d) for d in range(1, 8)}, working_days={date(2031, 9, 28)})
    )
    assert configured.known(unknown)
    assert configured.kind(unknown) == "节假日"
    assert configured.is_workday(date(2031, 9, 28))  # a Sunday worked in lieu
    assert configured.deadline(date(2031, 10, 5)).effective == date(2031, 9, 30)


def test_the_configuration_table_corrects_the_package() -> None:
    corrected = WorkdayCalendar(CalendarSettings(holidays={date(2026, 11, 16)}))
    assert corrected.kind(date(2026, 11, 16)) == "节假日"
