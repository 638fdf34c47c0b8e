"""Days off the government announces late, recorded by an administrator.

The `holidays` library's list (see `working_days`) is fixed when a release is pinned; a Keppres
or an SKB published after it would otherwise leave deadlines one day short. An administrator
adds such a day here, or removes one added by mistake; both are audited. A day in the past is
refused either way: deadlines already counted over it have been given, and the list must keep
saying why they fell where they did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.clock import today_in
from compliance.models.accounts import Role, User
from compliance.models.calendar import ExtraHoliday
from compliance.services import PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.inspections.working_days import library_holidays

MAX_NAME = 200


@dataclass(frozen=True)
class Holiday:
    """One day off as the admin page lists it: from the library or added by an administrator."""

    day: date
    name: str
    is_extra: bool


def _admin_only(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(_("Only administrators can change the list of holidays."))


def _national_today(today: date | None) -> date:
    # One national list: "today" is Jakarta's (WIB), where the government announces it.
    return today or today_in()


def upcoming_holidays(
    session: Session, *, language: str = "id", today: date | None = None
) -> list[Holiday]:
    """Days off from today to the end of next year, the library's and the extra ones."""
    start = _national_today(today)
    days = [
        Holiday(day, name, is_extra=False)
        for year in (start.year, start.year + 1)
        for day, name in library_holidays(year, language).items()
        if day >= start
    ]
    extra = session.scalars(select(ExtraHoliday).where(ExtraHoliday.day >= start))
    days += [Holiday(h.day, h.name, is_extra=True) for h in extra]
    return sorted(days, key=lambda h: (h.day, h.is_extra))


def _checked_day(session: Session, day: date | None, today: date) -> date:
    if day is None:
        raise ServiceError(_("Enter the date of the holiday."), field="day")
    if day < today:
        raise ServiceError(
            _("Choose today or a later date: a past day no longer changes any deadline."),
            field="day",
        )
    known = library_holidays(day.year).get(day) or session.scalar(
        select(ExtraHoliday.name).where(ExtraHoliday.day == day)
    )
    if known:
        raise ServiceError(
            _(
                "%(date)s is already in the list: %(name)s.",
                date=format_date(day, "long"),
                name=known,
            ),
            field="day",
        )
    return day


def add_extra_holiday(
    session: Session, actor: User, day: date | None, name: str | None, *, today: date | None = None
) -> ExtraHoliday:
    _admin_only(actor)
    checked = _checked_day(session, day, _national_today(today))
    cleaned = (name or "").strip()
    if not cleaned:
        raise ServiceError(_("Name the holiday, as the announcement does."), field="name")
    if len(cleaned) > MAX_NAME:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_NAME), field="name")
    holiday = ExtraHoliday(day=checked, name=cleaned, created_by_id=actor.id)
    session.add(holiday)
    session.flush()
    record_event(
        session,
        actor,
        "inspection.holiday_added",
        holiday,
        data={"day": checked.isoformat(), "name": cleaned},
    )
    return holiday


def remove_extra_holiday(
    session: Session, actor: User, day: date | None, *, today: date | None = None
) -> None:
    _admin_only(actor)
    holiday = session.scalar(select(ExtraHoliday).where(ExtraHoliday.day == day)) if day else None
    if holiday is None:
        raise ServiceError(_("This day is not in the list of added holidays."))
    if holiday.day < _national_today(today):
        raise ServiceError(_("This day has passed; it stays in the list."))
    record_event(
        session,
        actor,
        "inspection.holiday_removed",
        holiday,
        data={"day": holiday.day.isoformat(), "name": holiday.name},
    )
    session.delete(holiday)
    session.flush()
