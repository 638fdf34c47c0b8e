"""The ULD directory, officers' membership, and where a company's request goes.

Many regencies/cities have no ULD Ketenagakerjaan of their own (LAW.md), so a request goes to
the ULD of the establishment's regency/city, else to its province's, else nowhere: the company
is then told so and given the labour office's contact instead of a silent dead end.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User
from compliance.models.regions import Province, Regency
from compliance.models.registry import Uld, uld_officers
from compliance.services import NotFound, PermissionDenied, ServiceError, settings
from compliance.services.audit import record_event


@dataclass(frozen=True)
class UldInput:
    name: str
    province_code: str
    regency_code: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class Routing:
    """Where a request from `regency` goes: a ULD, or none and whom to contact instead."""

    regency: Regency
    uld: Uld | None
    labour_office_contact: str


def _admin_only(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(_("Only administrators can manage the ULD directory."))


def list_ulds(session: Session) -> list[Uld]:
    return list(session.scalars(select(Uld).order_by(Uld.province_code, Uld.regency_code)))


def get_uld(session: Session, uld_id: int) -> Uld:
    uld = session.get(Uld, uld_id)
    if uld is None:
        raise NotFound(_("ULD not found."))
    return uld


def _check(session: Session, data: UldInput, uld_id: int | None) -> tuple[str, str | None]:
    if not data.name.strip():
        raise ServiceError(_("Enter the name of the ULD."), field="name")
    if session.get(Province, data.province_code) is None:
        raise ServiceError(_("Choose a province."), field="province_code")
    regency_code = data.regency_code or None
    if regency_code is not None:
        regency = session.get(Regency, regency_code)
        if regency is None or regency.province_code != data.province_code:
            raise ServiceError(
                _("Choose a regency or city of the chosen province."), field="regency_code"
            )
    clash = session.scalar(
        select(Uld.id).where(
            Uld.province_code == data.province_code,
            Uld.regency_code.is_(None)
            if regency_code is None
            else Uld.regency_code == regency_code,
            Uld.id != (uld_id or -1),
        )
    )
    if clash is not None:
        raise ServiceError(_("This region already has a ULD."), field="regency_code")
    return data.province_code, regency_code


def save_uld(session: Session, actor: User, data: UldInput, uld_id: int | None = None) -> Uld:
    """Create (no `uld_id`) or update a ULD record."""
    _admin_only(actor)
    province_code, regency_code = _check(session, data, uld_id)
    uld = get_uld(session, uld_id) if uld_id else Uld()
    uld.name = data.name.strip()
    uld.province_code = province_code
    uld.regency_code = regency_code
    uld.email = data.email.strip().lower() or None
    uld.phone = data.phone.strip() or None
    uld.address = data.address.strip() or None
    session.add(uld)
    session.flush()
    record_event(session, actor, "uld.updated" if uld_id else "uld.created", uld)
    return uld


def officers_of(session: Session, uld_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(uld_officers, uld_officers.c.user_id == User.id)
            .where(uld_officers.c.uld_id == uld_id)
            .order_by(User.name)
        )
    )


def set_officer_uld(session: Session, actor: User, officer_id: int, uld_id: int | None) -> None:
    """Make a registry officer a member of one ULD (or of none)."""
    _admin_only(actor)
    officer = session.get(User, officer_id)
    if officer is None or officer.role is not Role.REGISTRY_OFFICER:
        raise ServiceError(_("Choose a registry officer."), field="officer_id")
    if uld_id is not None:
        get_uld(session, uld_id)
    session.execute(delete(uld_officers).where(uld_officers.c.user_id == officer_id))
    if uld_id is not None:
        session.execute(insert(uld_officers).values(user_id=officer_id, uld_id=uld_id))
    record_event(session, actor, "uld.officer_set", officer, data={"uld_id": uld_id})


def officer_uld(session: Session, officer: User) -> Uld | None:
    return session.scalar(
        select(Uld)
        .join(uld_officers, uld_officers.c.uld_id == Uld.id)
        .where(uld_officers.c.user_id == officer.id)
    )


def route(session: Session, regency_code: str) -> Routing:
    """The ULD of the regency/city, else of its province, else none (see module docstring)."""
    regency = session.get(Regency, regency_code)
    if regency is None:
        raise NotFound(_("Unknown regency or city."))
    uld = session.scalar(select(Uld).where(Uld.regency_code == regency_code))
    if uld is None:
        uld = session.scalar(
            select(Uld).where(
                Uld.province_code == regency.province_code, Uld.regency_code.is_(None)
            )
        )
    return Routing(regency, uld, settings().registry_labour_office_contact)
