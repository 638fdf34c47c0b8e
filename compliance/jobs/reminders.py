"""Reminder jobs: declaration deadlines (30 and 7 days before, then overdue) and expiring
disability evidence. Each reminder sent is a `JobNotice`, so a second run sends nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Select,
    String,
    cast,
    literal,
    select,
)
from sqlalchemy.orm import Session

from compliance.clock import local_date, local_dates
from compliance.jobs.runner import RunCounts, each_organization
from compliance.models.jobs import JobNotice
from compliance.models.organizations import Organization
from compliance.models.people import Employee
from compliance.services import emails
from compliance.services.declarations.gap import EXPIRY_WARNING_DAYS
from compliance.services.declarations.status import Standing, standings


def _noticed(session: Session, organization_id: int, kind: str, subject: str) -> bool:
    return (
        session.scalar(
            select(JobNotice.id).where(
                JobNotice.organization_id == organization_id,
                JobNotice.kind == kind,
                JobNotice.subject == subject,
            )
        )
        is not None
    )


def _remember(
    session: Session, organization_id: int, kind: str, subject: str, recipients: int
) -> None:
    session.add(
        JobNotice(
            organization_id=organization_id, kind=kind, subject=subject, recipients=recipients
        )
    )
    session.flush()


# --- declaration deadlines -------------------------------------------------------------------


def deadline_kind(days_left: int) -> str | None:
    """The most urgent reminder due `days_left` days before the deadline (negative: overdue)."""
    if days_left < 0:
        return "overdue"
    if days_left <= 7:
        return "deadline_7"
    if days_left <= 30:
        return "deadline_30"
    return None


#: The kinds of deadline reminder (`deadline_kind`).
DEADLINE_KINDS = ("overdue", "deadline_7", "deadline_30")


def _reminded_years(today: date) -> tuple[int, int]:
    """The period of last year is the one due this year; near the year's end, this year's
    period (due early next year) may be within 30 days too."""
    return today.year - 1, today.year


@dataclass
class _Chunk:
    """What `remind_deadlines` reads for a chunk of organisations before visiting each: their
    standings, the reminders already sent and their HR managers."""

    standings: dict[tuple[int, int], tuple[Standing, date]] = field(default_factory=dict)
    noticed: set[tuple[int, str, str]] = field(default_factory=set)
    managers: dict[int, emails.HrManagers] = field(default_factory=dict)


def remind_deadlines(session: Session, now: datetime, counts: RunCounts) -> None:
    """Remind the HR managers of each open or overdue period due within 30 days (or past due).

    On 2 January nearly every organisation is due within 30 days, so the job reads a chunk's
    standings, notices and HR managers in a few queries (`prepare`), and each organisation then
    costs its own writes only: its e-mails (through the outbox) and its notices."""
    chunk = _Chunk()
    link = emails.site_url("declarations.list_declarations")  # the same in every message

    def today_of(organization: Organization) -> date:
        return local_date(now, organization.zone)  # deadlines pass at the head office

    def prepare(session: Session, ids: list[int]) -> None:
        organizations = session.scalars(select(Organization).where(Organization.id.in_(ids))).all()
        years = {year for o in organizations for year in _reminded_years(today_of(o))}
        chunk.standings = standings(session, organizations, years, today_of)
        chunk.noticed = {
            (organization_id, kind, subject)
            for organization_id, kind, subject in session.execute(
                select(JobNotice.organization_id, JobNotice.kind, JobNotice.subject).where(
                    JobNotice.organization_id.in_(ids), JobNotice.kind.in_(DEADLINE_KINDS)
                )
            )
        }
        chunk.managers = emails.hr_managers_of(session, organizations)

    def work(session: Session, organization: Organization) -> int:
        today = today_of(organization)
        sent = 0
        for year in _reminded_years(today):
            # The status of record decides, as on the HR home: only an open or overdue period
            # (not filed, and one the organisation is on record for) is reminded.
            # Read for the chunk by `prepare`, which the runner calls before any `work`.
            standing, due = chunk.standings[organization.id, year]
            kind = deadline_kind((due - today).days)
            if standing not in (Standing.OPEN, Standing.OVERDUE) or kind is None:
                continue
            # The deadline is part of the subject: a moved deadline is reminded afresh.
            subject = f"period:{year}:{due.isoformat()}"
            if (organization.id, kind, subject) in chunk.noticed:
                continue
            recipients = emails.send_to_hr_managers(
                session,
                organization.id,
                "deadline_reminder",
                managers=chunk.managers.get(organization.id),
                year=year,
                due=due,
                is_overdue=kind == "overdue",
                action_url=link,
            )
            # Not flushed here: the commit writes it, one statement fewer per organisation.
            session.add(
                JobNotice(
                    organization_id=organization.id,
                    kind=kind,
                    subject=subject,
                    recipients=recipients,
                )
            )
            sent += 1
        return sent

    each_organization(session, counts, work, prepare=prepare)


# --- expiring disability evidence ------------------------------------------------------------


def remind_expiring_evidence(session: Session, now: datetime, counts: RunCounts) -> None:
    """One message per organisation listing the employee numbers whose evidence expires soon."""

    def work(session: Session, organization: Organization) -> int:
        today = local_date(now, organization.zone)
        employees = session.scalars(
            select(Employee)
            .where(Employee.organization_id == organization.id, *_expiring(today, today))
            .order_by(Employee.evidence_expires_on, Employee.id)
        ).all()
        due = [
            e
            for e in employees
            if not _noticed(session, organization.id, "evidence_expiry", _subject(e))
        ]
        if not due:
            return 0
        recipients = emails.send_to_hr_managers(
            session,
            organization.id,
            "evidence_expiry",
            expiring=[(e.employee_number, e.evidence_expires_on) for e in due],
            action_url=emails.site_url("roster.list_employees"),
        )
        for employee in due:
            _remember(session, organization.id, "evidence_expiry", _subject(employee), recipients)
        return len(due)

    each_organization(session, counts, work, only=_unnoticed_expiries(*local_dates(now)))


def _expiring(earliest: date, latest: date) -> tuple[ColumnExpressionArgument[bool], ...]:
    """Evidence of a consenting employee expiring from `earliest` (today) to the warning's
    horizon from `latest`: one organisation's day when both are its today."""
    return (
        Employee.evidence_expires_on.is_not(None),
        Employee.evidence_expires_on >= earliest,
        Employee.evidence_expires_on <= latest + timedelta(days=EXPIRY_WARNING_DAYS),
        Employee.has_active_consent,
    )


def _unnoticed_expiries(earliest: date, latest: date) -> Select[int]:
    """The organisations with expiring evidence not reminded yet, whatever their zone's date
    (from WIB's today to WIT's horizon): the job looks at these only."""
    noticed = (
        select(JobNotice.id)
        .where(
            JobNotice.organization_id == Employee.organization_id,
            JobNotice.kind == "evidence_expiry",
            JobNotice.subject == _subject_sql(),
        )
        .exists()
    )
    return select(Employee.organization_id).where(*_expiring(earliest, latest), ~noticed).distinct()


def _subject(employee: Employee) -> str:
    expires = employee.evidence_expires_on.isoformat() if employee.evidence_expires_on else ""
    return f"employee:{employee.id}:{expires}"


def _subject_sql() -> ColumnElement[str]:
    """`_subject` in SQL (both databases write a date as ISO text). Were they ever to differ,
    the prefilter would only find too many organisations, never too few."""
    return (
        literal("employee:")
        + cast(Employee.id, String)
        + ":"
        + cast(Employee.evidence_expires_on, String)
    )
