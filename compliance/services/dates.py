"""Calendar helpers for monthly reporting: whole months and month arithmetic.

"Today" is not decided here: it comes from `compliance.clock` (an organisation's today is the
date at its head office, `Organization.today()`), and is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from compliance.clock import today_in
from compliance.models.organizations import Organization
from compliance.services import ServiceError

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return add_months(month_start(day), 1) - timedelta(days=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def previous_month(today: date) -> date:
    """The 1st of the month before `today`'s: the last complete month."""
    return add_months(month_start(today), -1)


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


def organization_today(session: Session, organization_id: int) -> date:
    """Today at the organisation's head office: its months and deadlines (see `clock`)."""
    organization = session.get(Organization, organization_id)
    return organization.today() if organization is not None else today_in()
