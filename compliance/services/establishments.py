"""An organisation's establishments (workplaces): add, edit, close and reopen.

Closing never deletes: the monthly figures and the declarations that used them must stay
explainable, so a closed establishment keeps its history and only stops taking new figures.
Only the organisation's own HR managers change establishments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.organizations import Establishment
from compliance.models.regions import Regency
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.billing.plans import check_establishment_limit
from compliance.services.dates import organization_today
from compliance.services.paging import CursorPage, cursor_page
from compliance.services.policy import can_manage_organization, own_organization_id


@dataclass(frozen=True)
class EstablishmentDetails:
    """What the HR manager types about an establishment; the service cleans and checks it."""

    name: str
    regency_code: str
    address: str | None = None
    wlkp_number: str | None = None
    wlkp_registered_on: date | None = None


def _own_organization_id(actor: User) -> int:
    return own_organization_id(
        actor, _("Only the organisation's HR managers can manage establishments.")
    )


def get_establishment(session: Session, actor: User, establishment_id: int) -> Establishment:
    """An establishment the actor may manage; outside their reach it does not exist."""
    establishment = session.scalar(
        select(Establishment).where(Establishment.id == establishment_id)
    )
    if establishment is None:
        raise NotFound(_("Establishment not found."))
    if not can_manage_organization(actor, establishment.organization_id):
        raise PermissionDenied(_("Only the organisation's HR managers can manage establishments."))
    return establishment


def list_establishments(session: Session, actor: User) -> list[Establishment]:
    """The actor's organisation's establishments: head office first, open before closed."""
    organization_id = _own_organization_id(actor)
    return list(
        session.scalars(
            select(Establishment)
            .where(Establishment.organization_id == organization_id)
            .order_by(
                Establishment.closed_at.is_not(None),
                Establishment.is_head_office.desc(),
                Establishment.name,
                Establishment.id,
            )
        )
    )


def establishments_page(
    session: Session, actor: User, cursor: str | None, limit: int
) -> CursorPage[Establishment]:
    """The actor's organisation's establishments in id order, one cursor page (the API)."""
    organization_id = _own_organization_id(actor)
    query = select(Establishment).where(Establishment.organization_id == organization_id)
    return cursor_page(session, query, Establishment.id, cursor, limit)


def _optional(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split())
    return cleaned or None


def _clean(
    session: Session, organization_id: int, details: EstablishmentDetails, own_id: int | None
) -> dict[str, Any]:
    name = _optional(details.name)
    if name is None:
        raise ServiceError(_("Enter the establishment's name."), field="name")
    if len(name) > 200:
        raise ServiceError(_("Use at most %(max)d characters.", max=200), field="name")
    if session.get(Regency, details.regency_code or "") is None:
        raise ServiceError(_("Choose a regency or city from the list."), field="regency_code")
    address = (details.address or "").strip() or None
    if address is not None and len(address) > 500:
        raise ServiceError(_("Use at most %(max)d characters.", max=500), field="address")
    wlkp_number = _optional(details.wlkp_number)
    if wlkp_number is not None and len(wlkp_number) > 50:
        raise ServiceError(_("Use at most %(max)d characters.", max=50), field="wlkp_number")
    if wlkp_number is not None and _wlkp_number_taken(
        session, organization_id, wlkp_number, own_id
    ):
        raise ServiceError(
            _("Another establishment of your organisation has this WLKP number."),
            field="wlkp_number",
        )
    registered_on = details.wlkp_registered_on
    if registered_on is not None and registered_on > organization_today(session, organization_id):
        raise ServiceError(
            _("The WLKP registration date cannot be in the future."), field="wlkp_registered_on"
        )
    return {
        "name": name,
        "regency_code": details.regency_code,
        "address": address,
        "wlkp_number": wlkp_number,
        "wlkp_registered_on": registered_on,
    }


def _wlkp_number_taken(
    session: Session, organization_id: int, wlkp_number: str, own_id: int | None
) -> bool:
    query = select(Establishment.id).where(
        Establishment.organization_id == organization_id,
        Establishment.wlkp_number == wlkp_number,
    )
    if own_id is not None:
        query = query.where(Establishment.id != own_id)
    return session.scalar(query.limit(1)) is not None


def _audit_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def add_establishment(
    session: Session, actor: User, details: EstablishmentDetails
) -> Establishment:
    organization_id = _own_organization_id(actor)
    values = _clean(session, organization_id, details, None)
    check_establishment_limit(session, organization_id)
    establishment = Establishment(organization_id=organization_id, **values)
    session.add(establishment)
    session.flush()
    record_event(
        session,
        actor,
        "establishment.added",
        establishment,
        organization_id=organization_id,
        data={key: _audit_value(value) for key, value in values.items()},
    )
    return establishment


def update_establishment(
    session: Session, actor: User, establishment_id: int, details: EstablishmentDetails
) -> Establishment:
    """Apply the changed fields; an unchanged form writes nothing, not even an audit event."""
    establishment = get_establishment(session, actor, establishment_id)
    values = _clean(session, establishment.organization_id, details, establishment.id)
    changes: dict[str, list[object]] = {}
    for key, new in values.items():
        old = getattr(establishment, key)
        if old != new:
            changes[key] = [_audit_value(old), _audit_value(new)]
            setattr(establishment, key, new)
    if "regency_code" in changes and establishment.is_head_office:
        # The organisation's head-office regency is this establishment's: keep one truth.
        establishment.organization.head_office_regency_code = values["regency_code"]
    if changes:
        session.flush()
        record_event(
            session,
            actor,
            "establishment.updated",
            establishment,
            organization_id=establishment.organization_id,
            data={"changes": changes},
        )
    return establishment


def close_establishment(session: Session, actor: User, establishment_id: int) -> Establishment:
    """Mark the establishment closed; its figures and history stay.

    The organisation keeps at least one open establishment (in practice the head office),
    so the quota always has a workplace to count.
    """
    establishment = get_establishment(session, actor, establishment_id)
    if not establishment.is_open:
        raise ServiceError(_("This establishment is already closed."))
    others_open = session.scalar(
        select(Establishment.id)
        .where(
            Establishment.organization_id == establishment.organization_id,
            Establishment.id != establishment.id,
            Establishment.closed_at.is_(None),
        )
        .limit(1)
    )
    if others_open is None:
        raise ServiceError(
            _(
                "%(name)s is your organisation's only open establishment, so it cannot be "
                "closed. Add or reopen another establishment first.",
                name=establishment.name,
            )
        )
    establishment.closed_at = utcnow()
    session.flush()
    record_event(
        session,
        actor,
        "establishment.closed",
        establishment,
        organization_id=establishment.organization_id,
        data={"name": establishment.name},
    )
    return establishment


def reopen_establishment(session: Session, actor: User, establishment_id: int) -> Establishment:
    establishment = get_establishment(session, actor, establishment_id)
    if establishment.closed_at is None:
        raise ServiceError(_("This establishment is already open."))
    check_establishment_limit(session, establishment.organization_id)
    closed_at = establishment.closed_at
    establishment.closed_at = None
    session.flush()
    record_event(
        session,
        actor,
        "establishment.reopened",
        establishment,
        organization_id=establishment.organization_id,
        data={"name": establishment.name, "closed_at": closed_at.isoformat()},
    )
    return establishment
