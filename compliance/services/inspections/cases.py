"""Inspection cases: a finding opens nota pemeriksaan I, then nota II, then a referral.

Deadlines default to the configured practice (nota I: 30 working days as `working_days`
counts them, without public holidays and cuti bersama; nota II: 14 days) and may be set by the
inspector, never in the past. The next step waits for the current deadline to pass: a nota
gives the company that time to comply. An inspector who cannot wait (the company refuses to
act, or says it will not) states why; the reason is on the timeline both sides read and in
the audit trail. Every step is a `CaseEvent` on the timeline both the inspector and the HR
managers read, an audit event (without the finding and notes, with the reason for an early
step), and an e-mail to the HR managers. A nota I or II is also a letter
(`letters.issue_letter`), stored with its SHA-256 beside the event that issued it.
`flag_case_deadlines` is the scheduled job's body: idempotent reminders before a deadline and
a flag once it passes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.integrations.mail import Attachment
from compliance.models.accounts import User
from compliance.models.inspections import (
    CaseEvent,
    CaseEventKind,
    CaseStage,
    InspectionCase,
    ReviewOutcome,
)
from compliance.models.letters import CaseLetter
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import NotFound, ServiceError, emails, settings
from compliance.services.audit import record_event
from compliance.services.dates import organization_today
from compliance.services.inspections.letters import issue_letter
from compliance.services.inspections.notify import notify_hr
from compliance.services.inspections.organization import MAX_REASON, check_inspector
from compliance.services.inspections.review import add_review, checked_text, reviewable_declaration
from compliance.services.inspections.working_days import working_calendar

NEXT_STAGE = {CaseStage.NOTA_1: CaseStage.NOTA_2, CaseStage.NOTA_2: CaseStage.REFERRED}
STAGE_EVENT = {CaseStage.NOTA_2: CaseEventKind.NOTA_2, CaseStage.REFERRED: CaseEventKind.REFERRED}


def _label(actor: User | None) -> str:
    return f"{actor.name} ({actor.role.value})" if actor else "system"


def add_case_event(
    session: Session,
    case: InspectionCase,
    actor: User | None,
    kind: CaseEventKind,
    note: str | None = None,
    deadline_on: date | None = None,
    early_reason: str | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        organization_id=case.organization_id,
        kind=kind,
        note=note,
        early_reason=early_reason,
        deadline_on=deadline_on,
        actor_id=actor.id if actor else None,
        actor_label=_label(actor),
    )
    session.add(event)
    session.flush()
    return event


def checked_deadline(deadline_on: date | None, default: date, today: date) -> date:
    if deadline_on is None:
        return default
    if deadline_on <= today:
        raise ServiceError(_("Choose a deadline after today."), field="deadline_on")
    return deadline_on


def get_case(session: Session, case_id: int) -> InspectionCase:
    """A case within the session's reach (an inspector's provinces, an HR manager's own)."""
    case = session.scalar(select(InspectionCase).where(InspectionCase.id == case_id))
    if case is None:
        raise NotFound(_("Case not found."))
    return case


def _audit(
    session: Session,
    actor: User | None,
    action: str,
    case: InspectionCase,
    **extra: str,
) -> None:
    record_event(
        session,
        actor,
        action,
        case,
        organization_id=case.organization_id,
        data={"stage": case.stage.value, "deadline_on": str(case.deadline_on or ""), **extra},
    )


#: What an e-mail about a case reports; `email/_case_subject.txt` words each.
CaseMailEvent = Literal["opened", "nota_2", "referred", "closed", "reminder"]


def _tell(
    session: Session, case: InspectionCase, event: CaseMailEvent, letter: CaseLetter | None = None
) -> None:
    notify_hr(
        session,
        case.organization_id,
        "case_update",
        event=event,
        finding=case.finding,
        deadline_on=case.deadline_on,
        action_url=emails.site_url("inspections.hr_case", case_id=case.id),
        letter_number=letter.number if letter else None,
        letter_sha256=letter.sha256 if letter else None,
        # The letter itself goes with the message: what the company files is the signed PDF.
        attachments=[Attachment(letter.filename, letter.content)] if letter else [],
    )


def _letter_data(letter: CaseLetter | None) -> dict[str, str]:
    """What the audit trail keeps of an issued letter: its number and the hash of its bytes."""
    return {"letter": letter.number, "letter_sha256": letter.sha256} if letter else {}


def open_case(
    session: Session,
    actor: User,
    declaration_id: int,
    finding: str | None,
    deadline_on: date | None = None,
    *,
    today: date | None = None,
) -> InspectionCase:
    """Record a finding on a submitted declaration: nota pemeriksaan I with its deadline."""
    declaration = reviewable_declaration(session, actor, declaration_id)
    today = today or organization_today(session, declaration.organization_id)
    text = checked_text(finding, "finding", _("Describe the finding."))
    calendar = working_calendar(session, since=today)
    default = calendar.add_working_days(today, settings().inspection_nota1_working_days)
    deadline = checked_deadline(deadline_on, default, today)
    add_review(session, actor, declaration, ReviewOutcome.FINDING, text)
    case = InspectionCase(
        organization_id=declaration.organization_id,
        declaration_id=declaration.id,
        finding=text,
        stage=CaseStage.NOTA_1,
        deadline_on=deadline,
        opened_by_id=actor.id,
    )
    session.add(case)
    session.flush()
    event = add_case_event(session, case, actor, CaseEventKind.OPENED, text, deadline)
    letter = issue_letter(session, actor, case, event, today=today)
    _audit(session, actor, "inspection.case_opened", case, **_letter_data(letter))
    _tell(session, case, "opened", letter)
    return case


def is_before_deadline(case: InspectionCase, today: date) -> bool:
    """Whether the current nota's deadline is still running (it passes at the end of its day,
    as `flag_case_deadlines` counts it)."""
    return case.deadline_on is not None and today <= case.deadline_on


def _early_reason(case: InspectionCase, reason: str | None, today: date) -> str | None:
    """The stated reason for escalating before the deadline passed; None once it has."""
    if not is_before_deadline(case, today):
        return None
    assert case.deadline_on is not None
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ServiceError(
            _(
                "The deadline of this nota, %(date)s, has not passed. Wait until it has, or "
                "state why the case cannot wait.",
                date=format_date(case.deadline_on, "long"),
            ),
            field="reason",
        )
    if len(cleaned) > MAX_REASON:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_REASON), field="reason")
    return cleaned


def escalate_case(
    session: Session,
    actor: User,
    case_id: int,
    note: str | None,
    deadline_on: date | None = None,
    *,
    reason: str | None = None,
    today: date | None = None,
) -> InspectionCase:
    """Nota I → nota II (with a new deadline) → referred for investigation (no deadline).

    Before the current deadline has passed, only with a `reason` (see the module docstring).
    """
    check_inspector(actor)
    case = get_case(session, case_id)
    today = today or organization_today(session, case.organization_id)
    stage = NEXT_STAGE.get(case.stage)
    if stage is None:
        raise ServiceError(_("This case cannot be escalated further."))
    early_reason = _early_reason(case, reason, today)
    previous_deadline = case.deadline_on
    deadline = None
    if stage is CaseStage.NOTA_2:
        default = today + timedelta(days=settings().inspection_nota2_days)
        deadline = checked_deadline(deadline_on, default, today)
    cleaned = (note or "").strip() or None
    case.stage, case.deadline_on = stage, deadline
    case.reminded_at = case.deadline_passed_at = None
    event = add_case_event(
        session, case, actor, STAGE_EVENT[stage], cleaned, deadline, early_reason
    )
    letter = (
        issue_letter(session, actor, case, event, today=today)
        if stage is CaseStage.NOTA_2
        else None
    )
    early = (
        {"early_reason": early_reason, "previous_deadline_on": str(previous_deadline)}
        if early_reason
        else {}
    )
    _audit(session, actor, f"inspection.case_{stage.value}", case, **early, **_letter_data(letter))
    _tell(session, case, "nota_2" if stage is CaseStage.NOTA_2 else "referred", letter)
    return case


def close_case(session: Session, actor: User, case_id: int, note: str | None) -> InspectionCase:
    check_inspector(actor)
    case = get_case(session, case_id)
    if case.stage is CaseStage.CLOSED:
        raise ServiceError(_("This case is already closed."))
    case.stage, case.deadline_on = CaseStage.CLOSED, None
    add_case_event(session, case, actor, CaseEventKind.CLOSED, (note or "").strip() or None)
    _audit(session, actor, "inspection.case_closed", case)
    _tell(session, case, "closed")
    return case


def flag_case_deadlines(session: Session, now: datetime) -> int:
    """Remind HR managers before a nota's deadline and flag it once passed; returns how many
    events were written. Running it twice writes nothing new (each is stamped on the case)."""
    today = now.date()
    horizon = today + timedelta(days=settings().inspection_reminder_days)
    written = 0
    with reach_scope(session, Reach.for_everything()):
        open_cases = session.scalars(
            select(InspectionCase)
            .where(InspectionCase.deadline_on.is_not(None), InspectionCase.deadline_on <= horizon)
            .where(InspectionCase.stage.in_([CaseStage.NOTA_1, CaseStage.NOTA_2]))
            .order_by(InspectionCase.id)
        ).all()
        for case in open_cases:
            assert case.deadline_on is not None
            if case.deadline_on < today and case.deadline_passed_at is None:
                case.deadline_passed_at = now
                add_case_event(session, case, None, CaseEventKind.DEADLINE_PASSED)
                _audit(session, None, "inspection.case_deadline_passed", case)
                written += 1
            elif case.deadline_on >= today and case.reminded_at is None:
                case.reminded_at = now
                add_case_event(session, case, None, CaseEventKind.REMINDER)
                _tell(session, case, "reminder")
                written += 1
        session.flush()
    return written
