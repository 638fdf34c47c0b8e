"""Working days as a nota pemeriksaan counts them: no weekends, public holidays or cuti bersama.

The dates are the government's (the `holidays` library's Indonesian list): Christmas 2026
with its cuti bersama on 24 December, and Nyepi, Idul Fitri and its cuti bersama in March 2027.
"""

from __future__ import annotations

from datetime import date

from compliance.models.calendar import ExtraHoliday
from compliance.services.inspections.working_days import (
    LIBRARY,
    WorkingCalendar,
    add_working_days,
    library_holidays,
    working_calendar,
)


def test_the_list_has_public_holidays_and_cuti_bersama():
    days = library_holidays(2027)
    assert "Natal" in library_holidays(2026)[date(2026, 12, 25)]
    assert "Cuti Bersama" in library_holidays(2026)[date(2026, 12, 24)]
    assert "Idul Fitri" in days[date(2027, 3, 10)]
    assert "Cuti Bersama" in days[date(2027, 3, 9)]
    assert "Cuti Bersama" in days[date(2027, 3, 15)]
    # working_days' docstring names this version and the date of its list: update both together.
    assert LIBRARY == "holidays 0.109"


def test_a_deadline_counted_over_christmas_and_new_year():
    # Mon 16 Nov 2026 + 30: Monday to Friday alone would end on Mon 28 Dec; Thu 24 Dec (cuti
    # bersama) and Fri 25 Dec (Christmas) do not count, so it ends on Wed 30 Dec.
    assert add_working_days(date(2026, 11, 16), 30) == date(2026, 12, 30)
    # ...and Fri 1 Jan 2027 is skipped too.
    assert add_working_days(date(2026, 12, 30), 1) == date(2026, 12, 31)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_a_deadline_counted_over_idul_fitri_2027():
    # Fri 5 Mar 2027 + 5: Nyepi (8), cuti bersama (9), Idul Fitri (10, 11), cuti bersama (12,
    # 15) are all off, so the five days are 16 to 22 March (Mon-Fri alone: Fri 12 March).
    assert add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 16)
    assert add_working_days(date(2027, 3, 5), 5) == date(2027, 3, 22)


def test_an_extra_holiday_moves_the_deadline():
    start = date(2026, 11, 16)
    assert add_working_days(start, 30, {date(2026, 12, 1)}) == date(2026, 12, 31)
    # A Saturday, or a day after the deadline, changes nothing.
    assert add_working_days(start, 30, {date(2026, 12, 5), date(2027, 1, 4)}) == date(2026, 12, 30)
    assert not WorkingCalendar({date(2026, 12, 1)}).is_working_day(date(2026, 12, 1))


def test_working_calendar_reads_the_extra_holidays(factory):
    with factory.session() as session:
        session.add(ExtraHoliday(day=date(2026, 12, 1), name="Hari Pilkada"))
        session.add(ExtraHoliday(day=date(2026, 11, 2), name="Sudah lewat"))
        session.flush()
        calendar = working_calendar(session, since=date(2026, 11, 16))
        assert calendar.extra == frozenset({date(2026, 12, 1)})
        assert calendar.add_working_days(date(2026, 11, 16), 30) == date(2026, 12, 31)
