"""Companies' referral requests: a vacancy, linked to the declaration whose gap it addresses,
routed to a ULD (`ulds.route`). HR managers create and close their own; officers read those
routed to their ULD (the tenant scope decides, see `ReferralRequest.tenant_criteria`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from compliance.clock import local_date, today_in, utcnow, zone_of_region
from compliance.models.accounts import User
from compliance.models.declarations import Declaration
from compliance.models.organizations import Establishment, Organization
from compliance.models.referrals import ReferralRequest, RequestStatus
from compliance.models.regions import Regency
from compliance.models.registry import EducationLevel, Hours
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import NotFound, ServiceError, settings
from compliance.services.audit import record_event
from compliance.services.paging import CursorPage, cursor_page
from compliance.services.policy import own_organization_id
from compliance.services.registry import notify
from compliance.services.registry.ulds import Routing, route
from compliance.services.registry.vocabulary import ACCOMMODATIONS, SKILLS, unknown_codes

M = TypeVar("M", Organization, Establishment, User)

MAX_POSITIONS = 500


@dataclass(frozen=True)
class RequestInput:
    establishment_id: int | None
    title: str
    tasks: str
    hours: str
    min_education: str
    positions: int | None
    requirements: str = ""
    skill_codes: Sequence[str] = ()
    accommodations_offered: Sequence[str] = ()
    declaration_id: int | None = None


def _organization(actor: User) -> int:
    return own_organization_id(actor, _("Only HR managers can request referrals."))


def get_request(session: Session, actor: User, request_id: int) -> ReferralRequest:
    """A request within the actor's reach (their company's, or routed to their ULD)."""
    found = session.scalar(
        select(ReferralRequest)
        .where(ReferralRequest.id == request_id)
        .options(selectinload(ReferralRequest.referrals))
    )
    if found is None:
        raise NotFound(_("Referral request not found."))
    return found


def list_requests(session: Session, actor: User) -> list[ReferralRequest]:
    """Everything within reach, newest first: a company's own, or an officer's ULD's."""
    return list(
        session.scalars(
            select(ReferralRequest)
            .options(selectinload(ReferralRequest.referrals))
            .order_by(ReferralRequest.created_at.desc(), ReferralRequest.id.desc())
        )
    )


def requests_page(
    session: Session, actor: User, cursor: str | None, limit: int
) -> CursorPage[ReferralRequest]:
    """The requests within reach in id order, one cursor page (the API): what `list_requests`
    shows, walked so that a request arriving meanwhile is never skipped."""
    query = select(ReferralRequest).options(selectinload(ReferralRequest.referrals))
    return cursor_page(session, query, ReferralRequest.id, cursor, limit)


def establishment_of(session: Session, request: ReferralRequest) -> Establishment:
    """The workplace of a request in reach. An officer may serve a region (a provincial ULD)
    wider than their own regencies, which the establishment's scope follows; the request,
    loaded under scope, is the key, so reading its establishment bypasses the scope."""
    establishment = session.get(
        Establishment, request.establishment_id, execution_options={SKIP_OPTION: True}
    )
    assert establishment is not None  # a foreign key
    return establishment


@dataclass(frozen=True)
class RequestOverview:
    """What an officer needs to answer a request: who asks, since when, and by when."""

    request: ReferralRequest
    organization_name: str
    establishment_name: str
    regency_name: str
    contact_name: str | None
    contact_email: str | None
    received_on: date
    age_days: int
    due_on: date
    #: Negative once the deadline has passed without a shortlist.
    days_left: int
    #: When the company first opened a shortlist it was sent (`Referral.seen_at`).
    seen_at: datetime | None

    @property
    def is_answered(self) -> bool:
        return self.request.shortlisted_at is not None


def _unscoped_by_id(session: Session, model: type[M], ids: set[int]) -> dict[int, M]:
    """Rows of `model` by id, read past the tenant scope (the caller vouches for the ids)."""
    rows = session.scalars(
        select(model).where(model.id.in_(ids)).execution_options(**{SKIP_OPTION: True})
    )
    return {row.id: row for row in rows}


def overview(session: Session, found: Sequence[ReferralRequest]) -> list[RequestOverview]:
    """Organisation, workplace, regency name, contact person, age and service-level deadline
    (`registry_unanswered_days` after receipt) of each request, in the order given."""
    # The requests, loaded under scope, are the key to their company, workplace and author,
    # so these reads bypass the scope (as `establishment_of` does).
    organizations = _unscoped_by_id(session, Organization, {r.organization_id for r in found})
    establishments = _unscoped_by_id(session, Establishment, {r.establishment_id for r in found})
    authors = _unscoped_by_id(
        session, User, {r.created_by_id for r in found if r.created_by_id is not None}
    )
    codes = sorted({e.regency_code for e in establishments.values()})
    regencies = {
        r.code: r.name for r in session.scalars(select(Regency).where(Regency.code.in_(codes)))
    }
    allowed = timedelta(days=settings().registry_unanswered_days)
    result = []
    for request in found:
        establishment = establishments[request.establishment_id]
        author = authors.get(request.created_by_id) if request.created_by_id else None
        zone = zone_of_region(establishment.regency_code)
        today = today_in(zone)
        received_on = local_date(request.created_at, zone)
        due_on = local_date(request.created_at + allowed, zone)
        seen = [r.seen_at for r in request.referrals if r.seen_at is not None]
        result.append(
            RequestOverview(
                request=request,
                organization_name=organizations[request.organization_id].name,
                establishment_name=establishment.name,
                regency_name=regencies.get(establishment.regency_code, establishment.regency_code),
                contact_name=author.name if author else None,
                contact_email=author.email if author else None,
                received_on=received_on,
                age_days=(today - received_on).days,
                due_on=due_on,
                days_left=(due_on - today).days,
                seen_at=min(seen) if seen else None,
            )
        )
    return result


def routing_for(session: Session, establishment: Establishment) -> Routing:
    return route(session, establishment.regency_code)


def _check(session: Session, organization_id: int, data: RequestInput) -> Establishment:
    establishment = (
        session.get(Establishment, data.establishment_id) if data.establishment_id else None
    )
    if establishment is None or establishment.organization_id != organization_id:
        raise ServiceError(_("Choose one of your establishments."), field="establishment_id")
    if establishment.closed_at is not None:
        raise ServiceError(_("This establishment is closed."), field="establishment_id")
    if not data.title.strip():
        raise ServiceError(_("Enter the job title."), field="title")
    if not data.tasks.strip():
        raise ServiceError(_("Describe the tasks."), field="tasks")
    if data.hours not in {h.value for h in Hours}:
        raise ServiceError(_("Choose the working hours."), field="hours")
    if data.min_education not in {e.value for e in EducationLevel}:
        raise ServiceError(_("Choose the education needed."), field="min_education")
    if data.positions is None or not 1 <= data.positions <= MAX_POSITIONS:
        raise ServiceError(
            _("Enter between 1 and %(max)d positions.", max=MAX_POSITIONS), field="positions"
        )
    if unknown_codes(data.skill_codes, SKILLS):
        raise ServiceError(_("Choose skills from the list."), field="skill_codes")
    if unknown_codes(data.accommodations_offered, ACCOMMODATIONS):
        raise ServiceError(
            _("Choose accommodations from the list."), field="accommodations_offered"
        )
    if data.declaration_id is not None:
        declaration = session.get(Declaration, data.declaration_id)
        if declaration is None or declaration.organization_id != organization_id:
            raise ServiceError(_("Choose one of your declarations."), field="declaration_id")
    return establishment


def create_request(session: Session, actor: User, data: RequestInput) -> ReferralRequest:
    organization_id = _organization(actor)
    establishment = _check(session, organization_id, data)
    routing = routing_for(session, establishment)
    request = ReferralRequest(
        organization_id=organization_id,
        establishment_id=establishment.id,
        declaration_id=data.declaration_id,
        uld_id=routing.uld.id if routing.uld else None,
        title=data.title.strip()[:200],
        tasks=data.tasks.strip(),
        requirements=data.requirements.strip() or None,
        hours=Hours(data.hours),
        min_education=EducationLevel(data.min_education),
        skill_codes=sorted(set(data.skill_codes)),
        accommodations_offered=sorted(set(data.accommodations_offered)),
        positions=data.positions,
        created_by_id=actor.id,
    )
    session.add(request)
    session.flush()
    record_event(
        session,
        actor,
        "referral_request.created",
        request,
        organization_id=organization_id,
        data={"uld_id": request.uld_id, "positions": request.positions},
    )
    notify.tell_uld(session, request, "referral_request_new", positions=request.positions)
    return request


def close_request(session: Session, actor: User, request_id: int) -> ReferralRequest:
    organization_id = _organization(actor)
    request = get_request(session, actor, request_id)
    if request.organization_id != organization_id:
        raise NotFound(_("Referral request not found."))
    if request.status is RequestStatus.CLOSED:
        raise ServiceError(_("This request is already closed."))
    request.status = RequestStatus.CLOSED
    request.closed_at = utcnow()
    session.flush()
    record_event(
        session, actor, "referral_request.closed", request, organization_id=organization_id
    )
    return request


def flag_unanswered_requests(session: Session, now: datetime) -> int:
    """Flag open requests without a shortlist after `registry_unanswered_days`. Idempotent, for
    the scheduled job (run under an everything-reach); returns how many were newly flagged."""
    cutoff = now - timedelta(days=settings().registry_unanswered_days)
    due = session.scalars(
        select(ReferralRequest).where(
            ReferralRequest.status == RequestStatus.OPEN,
            ReferralRequest.shortlisted_at.is_(None),
            ReferralRequest.flagged_unanswered_at.is_(None),
            ReferralRequest.created_at <= cutoff,
        )
    ).all()
    for request in due:
        request.flagged_unanswered_at = now
        record_event(
            session,
            None,
            "referral_request.flagged_unanswered",
            request,
            organization_id=request.organization_id,
        )
    session.flush()
    return len(due)
