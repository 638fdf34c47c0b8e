"""Reporting periods: which months a declaration covers and when it is due.

A period is a calendar year by default, due on the last day of the organisation's WLKP month
(`Organization.wlkp_due_month`) in the following year (LAW.md row 7; a product default). The
organisation may change that month; periods with nothing filed yet follow the change, while a
period with a submitted declaration keeps the deadline it was filed against.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.models.organizations import Organization
from compliance.services import ServiceError
from compliance.services.audit import record_event
from compliance.services.dates import add_months, month_start
from compliance.services.policy import own_organization_id

#: UU 8/2016 came into force on 2016-04-15: no quota declaration before that year.
FIRST_YEAR = 2016


def due_date(year: int, due_month: int) -> date:
    """The last day of `due_month` in the year after the period (the WLKP month)."""
    return date(year + 1, due_month, monthrange(year + 1, due_month)[1])


def year_months(year: int) -> tuple[date, ...]:
    return tuple(date(year, month, 1) for month in range(1, 13))


def period_months(period: ReportingPeriod) -> tuple[date, ...]:
    months, month = [], period.starts_on
    while month <= period.ends_on:
        months.append(month)
        month = add_months(month, 1)
    return tuple(months)


def ended(months: tuple[date, ...], today: date) -> tuple[date, ...]:
    """The months that are over at the head office (`today`): the only ones ever asked for or
    counted, since a month's workforce is not known before it ends (DESIGN.md 3a). May be
    empty (a period in its first month)."""
    return tuple(m for m in months if m < month_start(today))


def counted_months(period: ReportingPeriod, today: date) -> tuple[date, ...]:
    """The months of `period` a declaration counts today; refused while none has ended."""
    months = ended(period_months(period), today)
    if not months:
        raise ServiceError(
            _(
                "No month of %(period)s has ended yet. Open the declaration after %(month)s ends.",
                period=period.label,
                month=format_date(period.starts_on, "MMMM yyyy"),
            ),
            field="year",
        )
    return months


def check_over(period: ReportingPeriod, today: date) -> None:
    """A declaration is submitted once its period is over: before that, its last months are
    not known, and a month is never asked for before it ends."""
    if period.ends_on >= month_start(today):
        raise ServiceError(
            _(
                "The period %(period)s is not over yet: submit its declaration once "
                "%(month)s has ended.",
                period=period.label,
                month=format_date(period.ends_on, "MMMM yyyy"),
            )
        )


def checked_year(year: int | None, today: date) -> int:
    if year is None or not FIRST_YEAR <= year <= today.year:
        raise ServiceError(
            _(
                "Choose a year from %(first)d to %(last)d.",
                first=FIRST_YEAR,
                last=today.year,
            ),
            field="year",
        )
    return year


def period_for(session: Session, organization: Organization, year: int) -> ReportingPeriod:
    period = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.organization_id == organization.id,
            ReportingPeriod.starts_on == date(year, 1, 1),
        )
    )
    if period is None:
        period = ReportingPeriod(
            organization_id=organization.id,
            label=str(year),
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 1),
            due_on=due_date(year, organization.wlkp_due_month),
        )
        session.add(period)
    return period


def follow_due_month(session: Session, organization: Organization) -> list[ReportingPeriod]:
    """Move the deadline of every period with nothing submitted to the organisation's month."""
    submitted = select(Declaration.period_id).where(
        Declaration.status == DeclarationStatus.SUBMITTED
    )
    moved = []
    for period in session.scalars(
        select(ReportingPeriod).where(
            ReportingPeriod.organization_id == organization.id,
            ReportingPeriod.id.not_in(submitted),
        )
    ):
        due_on = due_date(period.starts_on.year, organization.wlkp_due_month)
        if period.due_on != due_on:
            period.due_on = due_on
            moved.append(period)
    return moved


def change_due_month(session: Session, actor: User, month: int | None) -> list[ReportingPeriod]:
    """Set the organisation's WLKP month (1-12); returns the periods whose deadline moved."""
    organization_id = own_organization_id(
        actor, _("Only the organisation's HR managers change its reporting settings.")
    )
    if month is None or not 1 <= month <= 12:
        raise ServiceError(_("Choose a month from the list."), field="due_month")
    organization = session.get(Organization, organization_id)
    assert organization is not None  # the actor's own organisation, in their reach
    if organization.wlkp_due_month == month:
        return []
    old, organization.wlkp_due_month = organization.wlkp_due_month, month
    moved = follow_due_month(session, organization)
    record_event(
        session,
        actor,
        "organization.due_month_changed",
        organization,
        organization_id=organization.id,
        data={"old": old, "new": month, "periods_moved": [p.label for p in moved]},
    )
    session.flush()
    return moved
