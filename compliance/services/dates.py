"""Calendar helpers for monthly reporting: "today" in Indonesia and whole months.

Indonesia spans three time zones. "Not in the future" is judged in the easternmost one
(WIT, Asia/Jayapura), where the day and the month start first, so no user anywhere in the
country is refused the current month.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from compliance.services import ServiceError

_EASTERNMOST = ZoneInfo("Asia/Jayapura")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def today_in_indonesia() -> date:
    return datetime.now(_EASTERNMOST).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return add_months(month_start(day), 1) - timedelta(days=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def previous_month(today: date | None = None) -> date:
    return add_months(month_start(today or today_in_indonesia()), -1)


def months_ending(last: date, count: int) -> Iterator[date]:
    """`count` whole months, oldest first, ending with the month of `last`."""
    end = month_start(last)
    for back in range(count - 1, -1, -1):
        yield add_months(end, -back)


def parse_month(raw: str, field: str = "month") -> date:
    """A month typed as YYYY-MM (what `<input type="month">` sends)."""
    match = _MONTH.fullmatch((raw or "").strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ServiceError(_("Enter the month as YYYY-MM, for example 2025-01."), field=field)
    return date(int(match.group(1)), int(match.group(2)), 1)
