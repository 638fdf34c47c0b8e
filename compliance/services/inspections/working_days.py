"""Deadlines counted in working days (hari kerja) for a nota pemeriksaan.

LAW.md: the practice reported in Bali gives 30 working days for nota I. A working day is a
Monday to Friday that is neither a national public holiday (hari libur nasional) nor a
collective leave day (cuti bersama): inspectorates are closed on both, so a company's time to
comply does not run on them.

The list is the `holidays` library's Indonesian calendar (`holidays.ID`), categories
`public` (Keppres days) and `government` (cuti bersama of the yearly SKB 3 Menteri), in the
version pinned in requirements.lock: 0.109, the list dated by its newest source, the SKB on
public holidays and cuti bersama 2027 (setneg.go.id, archived 17 September 2026). Its Islamic
holidays after 2026 are astronomical estimates marked "(perkiraan)". A day the government
announces after that release is recorded by an administrator as an `ExtraHoliday`
(services.inspections.extra_holidays); the library's own days cannot be removed.

A deadline is a date fixed when the nota is issued: a holiday added later counts in deadlines
computed from then on, it does not move the date a nota already gave.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays
from holidays.constants import GOVERNMENT, PUBLIC
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.calendar import ExtraHoliday

#: The library's release whose list is used (also `holidays.__version__` at run time).
LIBRARY = f"holidays {holidays.__version__}"
CATEGORIES = (PUBLIC, GOVERNMENT)


@lru_cache(maxsize=64)
def library_holidays(year: int, language: str = "id") -> Mapping[date, str]:
    """The library's days off in `year`, named in `language` ("id" or "en_US").

    Cached (read-only, as every caller shares it): the list of a version never changes, and
    building a year costs milliseconds.
    """
    days = holidays.country_holidays("ID", years=year, categories=CATEGORIES, language=language)
    return MappingProxyType(dict(sorted(days.items())))


def is_library_holiday(day: date) -> bool:
    return day in library_holidays(day.year)


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekends, the library's holidays and the administrators' extra days off."""

    extra: Collection[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not is_library_holiday(day) and day not in self.extra

    def add_working_days(self, start: date, count: int) -> date:
        """The day `count` working days after `start` (`start` itself never counts)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def working_calendar(session: Session, since: date | None = None) -> WorkingCalendar:
    """The calendar with the extra holidays recorded (from `since` on: earlier ones cannot
    matter to a deadline counted forward from it). A few rows a year: read them all."""
    query = select(ExtraHoliday.day)
    if since is not None:
        query = query.where(ExtraHoliday.day >= since)
    return WorkingCalendar(frozenset(session.scalars(query)))


def add_working_days(start: date, count: int, extra: Collection[date] = frozenset()) -> date:
    """`count` working days after `start`, skipping weekends, the library's holidays and `extra`."""
    return WorkingCalendar(frozenset(extra)).add_working_days(start, count)
