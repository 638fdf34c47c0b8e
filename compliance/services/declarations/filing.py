"""Filing a quota declaration: open a draft, recompute, annotate, submit, correct.

A draft is computed when it is opened (and again on request) and stores the engine's results,
so the HR manager submits exactly what they reviewed: if the figures or the roster changed in
between, submitting is refused until the draft is recomputed. Every change carries the
revision the user saw; a different stored revision means a colleague saved first, and nothing
is overwritten. Audit events record versions, revisions and totals, never names or free text.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.models.organizations import Organization
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.dates import organization_today
from compliance.services.declarations.computation import Computation, compute
from compliance.services.declarations.periods import (
    check_over,
    checked_year,
    counted_months,
    period_for,
    period_months,
)
from compliance.services.policy import can_manage_organization, own_organization_id
from compliance.services.receipt_numbers import assign_receipt_number
from compliance.services.workforce import monthly_figures

MAX_TEXT = 2000


def own_organization(session: Session, actor: User) -> Organization:
    organization_id = own_organization_id(
        actor, _("Only the organisation's HR managers file declarations.")
    )
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(_("Organisation not found."))
    return organization


def get_declaration(session: Session, actor: User, declaration_id: int) -> Declaration:
    declaration = session.scalar(select(Declaration).where(Declaration.id == declaration_id))
    if declaration is None:
        raise NotFound(_("Declaration not found."))
    if not can_manage_organization(actor, declaration.organization_id):
        raise PermissionDenied(_("Only the organisation's HR managers file declarations."))
    return declaration


def _compute(session: Session, period: ReportingPeriod, today: date) -> Computation:
    """The period's months that have ended: a month is only counted once it is over."""
    organization = session.get(Organization, period.organization_id)
    assert organization is not None
    months = counted_months(period, today)
    return compute(session, organization, months, label=period.label, today=today)


def _flush(session: Session) -> None:
    """Flush, turning a lost race with a colleague into a message instead of a crash."""
    try:
        session.flush()
    except (IntegrityError, StaleDataError):
        raise ServiceError(
            _("A colleague changed this declaration at the same time. Reload the page.")
        ) from None


def _new_version(
    session: Session, actor: User, period: ReportingPeriod, today: date, **fields: object
) -> Declaration:
    number = session.scalar(
        select(func.coalesce(func.max(Declaration.number), 0)).where(
            Declaration.period_id == period.id
        )
    )
    computation = _compute(session, period, today)
    declaration = Declaration(
        organization_id=period.organization_id,
        period=period,
        number=(number or 0) + 1,
        status=DeclarationStatus.DRAFT,
        data=computation.to_data(),
        input_sha256=computation.input_sha256,
        computed_at=utcnow(),
        created_by_id=actor.id,
        **fields,
    )
    session.add(declaration)
    _flush(session)
    return declaration


def open_declaration(
    session: Session, actor: User, year: int | None, *, today: date | None = None
) -> Declaration:
    """The period's draft, opened (computed) now unless one exists; refused once submitted."""
    organization = own_organization(session, actor)
    today = today or organization.today()
    year = checked_year(year, today)
    period = period_for(session, organization, year)
    _flush(session)
    latest = period.declarations[-1] if period.declarations else None
    if latest is not None and not latest.is_submitted:
        return latest
    if latest is not None:
        raise ServiceError(
            _(
                "The declaration for %(period)s is already submitted. Open it and correct it "
                "to file a new version.",
                period=period.label,
            ),
            field="year",
        )
    declaration = _new_version(session, actor, period, today)
    _audit(session, actor, "declaration.opened", declaration)
    return declaration


def _editable(
    session: Session, actor: User, declaration_id: int, revision: int | None
) -> Declaration:
    declaration = get_declaration(session, actor, declaration_id)
    if declaration.is_submitted:
        raise ServiceError(
            _(
                "Version %(number)d is submitted and cannot be changed. "
                "File a correction to change it.",
                number=declaration.number,
            )
        )
    if revision != declaration.revision:
        raise ServiceError(
            _(
                "A colleague saved this draft after you opened it. Your changes were not "
                "saved: reload the page to see the current draft, then make them again."
            )
        )
    return declaration


def _clean(text: str | None, field: str) -> str | None:
    cleaned = (text or "").strip()
    if len(cleaned) > MAX_TEXT:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_TEXT), field=field)
    return cleaned or None


def save_declaration(
    session: Session, actor: User, declaration_id: int, revision: int | None, note: str | None
) -> Declaration:
    """Store the HR manager's note on a draft."""
    declaration = _editable(session, actor, declaration_id, revision)
    note = _clean(note, "note")
    if note != declaration.note:
        declaration.note = note
        _flush(session)
        _audit(session, actor, "declaration.saved", declaration, fields=["note"])
    return declaration


def recompute_declaration(
    session: Session,
    actor: User,
    declaration_id: int,
    revision: int | None,
    *,
    today: date | None = None,
) -> Declaration:
    """Refresh a draft from the current figures and roster."""
    declaration = _editable(session, actor, declaration_id, revision)
    today = today or organization_today(session, declaration.organization_id)
    computation = _compute(session, declaration.period, today)
    declaration.data = computation.to_data()
    declaration.input_sha256 = computation.input_sha256
    declaration.computed_at = utcnow()
    _flush(session)
    _audit(session, actor, "declaration.recomputed", declaration)
    return declaration


def missing_figures(session: Session, period: ReportingPeriod) -> dict[date, tuple[str, ...]]:
    """Every month of the period lacking figures, with the establishments that lack them
    (asked once the period is over, so every month of it has ended)."""
    figures = monthly_figures(session, period.organization_id, period_months(period))
    found = {m: tuple(e.name for e in figures.missing(m)) for m in figures.months}
    return {m: names for m, names in found.items() if names}


def submit_declaration(
    session: Session,
    actor: User,
    declaration_id: int,
    revision: int | None,
    note: str | None,
    *,
    today: date | None = None,
) -> Declaration:
    """Freeze the draft as filed: only with figures for every month, and only as reviewed."""
    declaration = _editable(session, actor, declaration_id, revision)
    today = today or organization_today(session, declaration.organization_id)
    note = _clean(note, "note")
    check_over(declaration.period, today)
    missing = missing_figures(session, declaration.period)
    if missing:
        months = "; ".join(
            _("%(month)s (%(places)s)", month=format_date(m, "MMMM yyyy"), places=", ".join(names))
            for m, names in missing.items()
        )
        raise ServiceError(
            _(
                "A declaration needs figures for every month of the period. Missing: %(months)s.",
                months=months,
            )
        )
    computation = _compute(session, declaration.period, today)
    if computation.input_sha256 != declaration.input_sha256:
        raise ServiceError(
            _(
                "The figures or the roster changed since this draft was computed. Recompute "
                "it and review the new results before submitting."
            )
        )
    declaration.note = note
    declaration.status = DeclarationStatus.SUBMITTED
    declaration.submitted_at = utcnow()
    declaration.submitted_by_id = actor.id
    assign_receipt_number(session, declaration, declaration.submitted_at)
    _flush(session)
    entity = declaration.data.get("entity", {})
    _audit(
        session,
        actor,
        "declaration.submitted",
        declaration,
        input_sha256=declaration.input_sha256,
        receipt_number=declaration.receipt_number,
        **{key: entity.get(key) for key in ("status", "required", "counted", "gap")},
    )
    return declaration


def correct_declaration(
    session: Session,
    actor: User,
    declaration_id: int,
    reason: str | None,
    *,
    today: date | None = None,
) -> Declaration:
    """A new draft version correcting the latest submitted one; the reason is required."""
    declaration = get_declaration(session, actor, declaration_id)
    today = today or organization_today(session, declaration.organization_id)
    period = declaration.period
    if not declaration.is_submitted:
        raise ServiceError(_("Only a submitted declaration can be corrected."))
    if period.declarations[-1].id != declaration.id:
        raise ServiceError(
            _("A newer version of this declaration exists: correct that one."), field="reason"
        )
    cleaned = _clean(reason, "reason")
    if cleaned is None:
        raise ServiceError(_("Say why the declaration needs a correction."), field="reason")
    correction = _new_version(
        session, actor, period, today, corrects_id=declaration.id, correction_reason=cleaned
    )
    _audit(session, actor, "declaration.corrected", correction, corrects_version=declaration.number)
    return correction


def _audit(
    session: Session, actor: User, action: str, declaration: Declaration, **data: object
) -> None:
    record_event(
        session,
        actor,
        action,
        declaration,
        organization_id=declaration.organization_id,
        data={
            "period": declaration.period.label,
            "version": declaration.number,
            "revision": declaration.revision,
            **data,
        },
    )
