"""An inspector's review of a submitted declaration: accept it or ask for a correction.

Recording a finding is the third outcome; it opens a case (see `cases.open_case`). Only the
latest submitted version of a period can be reviewed: an older one has been superseded. The
HR managers are e-mailed a correction request with the inspector's message, which they also
see on their inspections page. Audit events record the outcome, never the message.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.declarations import Declaration
from compliance.models.inspections import DeclarationReview, ReviewOutcome
from compliance.services import NotFound, ServiceError, emails
from compliance.services.audit import record_event
from compliance.services.inspections.notify import notify_hr
from compliance.services.inspections.organization import check_inspector
from compliance.services.inspections.summary import refresh_summary

MAX_MESSAGE = 2000


def reviewable_declaration(session: Session, actor: User, declaration_id: int) -> Declaration:
    check_inspector(actor)
    declaration = session.scalar(select(Declaration).where(Declaration.id == declaration_id))
    if declaration is None or not declaration.is_submitted:
        raise NotFound(_("Declaration not found."))
    submitted = [d for d in declaration.period.declarations if d.is_submitted]
    if submitted[-1].id != declaration.id:
        raise ServiceError(_("A newer version of this declaration exists: review that one."))
    return declaration


def checked_text(text: str | None, field: str, missing: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ServiceError(missing, field=field)
    if len(cleaned) > MAX_MESSAGE:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_MESSAGE), field=field)
    return cleaned


def add_review(
    session: Session,
    actor: User,
    declaration: Declaration,
    outcome: ReviewOutcome,
    message: str | None,
) -> DeclarationReview:
    review = DeclarationReview(
        organization_id=declaration.organization_id,
        declaration_id=declaration.id,
        outcome=outcome,
        message=message,
        reviewer_id=actor.id,
    )
    session.add(review)
    session.flush()
    record_event(
        session,
        actor,
        f"inspection.declaration_{outcome.value}",
        declaration,
        organization_id=declaration.organization_id,
        data={"period": declaration.period.label, "version": declaration.number},
    )
    refresh_summary(session, declaration.organization_id)
    return review


def accept_declaration(session: Session, actor: User, declaration_id: int) -> DeclarationReview:
    declaration = reviewable_declaration(session, actor, declaration_id)
    return add_review(session, actor, declaration, ReviewOutcome.ACCEPTED, None)


def request_correction(
    session: Session, actor: User, declaration_id: int, message: str | None
) -> DeclarationReview:
    declaration = reviewable_declaration(session, actor, declaration_id)
    text = checked_text(message, "message", _("Say what the organisation must correct."))
    review = add_review(session, actor, declaration, ReviewOutcome.CORRECTION_REQUESTED, text)
    notify_hr(
        session,
        declaration.organization_id,
        "correction_requested",
        number=declaration.number,
        period=declaration.period.label,
        message=text,
        action_url=emails.site_url("declarations.show_declaration", declaration_id=declaration.id),
    )
    return review


def reviews_of(session: Session, organization_id: int) -> list[DeclarationReview]:
    """Every review of the organisation's declarations, newest first (within reach)."""
    return list(
        session.scalars(
            select(DeclarationReview)
            .where(DeclarationReview.organization_id == organization_id)
            .order_by(DeclarationReview.id.desc())
        )
    )
