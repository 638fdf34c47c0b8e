"""The instants tests run at, and dates derived from the clock for building test data.

Every test runs at `DEFAULT_INSTANT` (see `tests/conftest.py`); tests marked `calendar` also
run at each instant of `SWEEP`, the dates where calendars break: a new year that starts at
different times in WIB and WIT, a due date, a leap day, the middle and the end of the year,
and whatever the machine's clock says. Build data from `today()` and `last_year()`, never from
a literal year, so the same test holds at every one of them.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from compliance.clock import WIB, Zone, today_in

#: An ordinary weekday morning: Monday 16 November 2026, 10:00 WIB.
DEFAULT_INSTANT = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)

#: Where calendars break. None is the machine's own clock (under `faketime`, the faked one).
SWEEP: dict[str, datetime | None] = {
    "new-year-0030-wib": datetime(2026, 12, 31, 17, 30, tzinfo=UTC),  # 1 Jan 2027 00:30 WIB
    "due-date-31-jan": datetime(2027, 1, 31, 10, 0, tzinfo=UTC),  # 17:00 WIB, 19:00 WIT
    "leap-day-2028": datetime(2028, 2, 29, 3, 0, tzinfo=UTC),  # 10:00 WIB
    "mid-year-30-jun": datetime(2027, 6, 30, 3, 0, tzinfo=UTC),
    "first-of-december": datetime(2026, 12, 1, 1, 0, tzinfo=UTC),  # 08:00 WIB
    "year-end-2330-wib": datetime(2027, 12, 31, 16, 30, tzinfo=UTC),  # already 1 Jan in WIT
    "real-clock": None,
}


def sweep_enabled() -> bool:
    """The sweep runs unless CALENDAR_SWEEP=0 (for a quick local run of one test)."""
    return os.environ.get("CALENDAR_SWEEP", "1") != "0"


def today(zone: Zone = WIB) -> date:
    """Today where the test organisations are: their head offices are in Jakarta (WIB)."""
    return today_in(zone)


def last_year() -> int:
    """The last whole calendar year: the reporting period that has ended."""
    return today().year - 1
