"""The administrator's home: scheduled jobs failing, accounts waiting, the audit chain's anchor.

A job is failing when its latest run failed or partly failed (`JobRun.outcome`, what the jobs
page shows as each job's last run); a later success clears it. Accounts waiting are what the
models hold: colleagues invited and not yet joined (`Invitation.is_pending`, as SQL), staff
accounts whose set-up link was never used (no login yet), and deactivated accounts. A sign-up
that was never confirmed is not here: nothing of it is stored until its link is opened
(`services.signup`). The audit chain's anchor is the newest signed checkpoint and the events
written since (unprotected until the next one); checking the chain itself is the audit page's
button, too costly for a home.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import Invitation, Role, User
from compliance.models.audit import AuditCheckpoint, AuditEvent
from compliance.models.jobs import JobRun
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import outbox

FAILING_OUTCOMES = ("failed", "partial")
STAFF_ROLES = (Role.INSPECTOR, Role.REGISTRY_OFFICER, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class FailingJob:
    job: str
    outcome: str
    started_at: datetime
    failed: int


@dataclass(frozen=True, slots=True)
class Accounts:
    invitations_pending: int
    staff_not_set_up: int
    deactivated: int

    @property
    def total(self) -> int:
        return self.invitations_pending + self.staff_not_set_up + self.deactivated


@dataclass(frozen=True, slots=True)
class Checkpoint:
    created_at: datetime
    event_count: int
    #: Events written after the checkpoint's head: not yet anchored by a signature.
    events_since: int


@dataclass(frozen=True, slots=True)
class AdminHome:
    failing_jobs: tuple[FailingJob, ...]
    accounts: Accounts
    checkpoint: Checkpoint | None
    events_total: int
    #: E-mails given up after every attempt (dead letters on the admin's mail page).
    undelivered_mail: int = 0


def failing_jobs(session: Session) -> list[FailingJob]:
    """Jobs whose latest run failed or partly failed, by name."""
    latest = select(func.max(JobRun.id)).group_by(JobRun.job)
    runs = session.scalars(
        select(JobRun)
        .where(JobRun.id.in_(latest), JobRun.outcome.in_(FAILING_OUTCOMES))
        .order_by(JobRun.job)
    )
    return [FailingJob(r.job, r.outcome, r.started_at, r.failed) for r in runs]


def _users(session: Session, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(User).where(*where)) or 0


def accounts(session: Session) -> Accounts:
    pending = session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    return Accounts(
        invitations_pending=pending or 0,
        staff_not_set_up=_users(
            session,
            User.role.in_(STAFF_ROLES),
            User.is_active.is_(True),
            User.last_login_at.is_(None),
        ),
        deactivated=_users(session, User.is_active.is_(False)),
    )


def checkpoint(session: Session) -> tuple[Checkpoint | None, int]:
    """The newest checkpoint, and how many events the chain holds."""
    every_tenant = {SKIP_OPTION: True}
    last = session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    total = session.scalar(
        select(func.count()).select_from(AuditEvent).execution_options(**every_tenant)
    )
    if last is None:
        return None, total or 0
    since = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.id > last.head_event_id)
        .execution_options(**every_tenant)
    )
    return Checkpoint(last.created_at, last.event_count, since or 0), total or 0


def admin_home(session: Session) -> AdminHome:
    anchor, total = checkpoint(session)
    return AdminHome(
        failing_jobs=tuple(failing_jobs(session)),
        accounts=accounts(session),
        checkpoint=anchor,
        events_total=total,
        undelivered_mail=outbox.failed_count(session),
    )
