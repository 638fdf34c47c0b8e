"""Organisations: identifiers, registration and what a user may see of them."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User
from compliance.models.organizations import Establishment, Organization, Sector
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import NotFound, ServiceError
from compliance.services.audit import record_event

_SEPARATORS = re.compile(r"[\s.\-/]")


def normalise_nib(raw: str) -> str:
    """NIB (Nomor Induk Berusaha, OSS RBA): exactly 13 digits."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isdigit() or len(digits) != 13:
        raise ServiceError(_("The NIB must be exactly 13 digits."), field="nib")
    return digits


def normalise_npwp(raw: str) -> str:
    """NPWP: 15 digits (the older format, punctuation allowed) or 16 digits (NIK-based)."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isdigit() or len(digits) not in (15, 16):
        raise ServiceError(_("The NPWP must be 15 or 16 digits."), field="npwp")
    return digits


def normalise_email(raw: str) -> str:
    return (raw or "").strip().lower()


def email_taken(session: Session, email: str) -> bool:
    # Uniqueness is global, so this one lookup looks across tenants on purpose.
    found = session.scalar(
        select(User.id).where(User.email == email).execution_options(**{SKIP_OPTION: True})
    )
    return found is not None


def create_organization(
    session: Session,
    *,
    organization_name: str,
    nib: str,
    npwp: str,
    sector: Sector,
    regency_code: str,
    name: str,
    email: str,
    password_hash: str,
) -> User:
    """Register an organisation, its head-office establishment and its first HR manager, from
    a checked sign-up (`services.signup`)."""
    organization = Organization(
        name=organization_name,
        nib=nib,
        npwp=npwp,
        sector=sector,
        head_office_regency_code=regency_code,
    )
    organization.establishments.append(
        # Data, not interface text: kept in Indonesian whatever language the form was in.
        Establishment(name="Kantor pusat", regency_code=regency_code, is_head_office=True)
    )
    user = User(
        email=email,
        name=name,
        password_hash=password_hash,
        role=Role.HR_MANAGER,
        organization=organization,
    )
    session.add_all([organization, user])
    session.flush()
    record_event(
        session,
        user,
        "organization.signed_up",
        organization,
        organization_id=organization.id,
        data={"nib": nib, "npwp": npwp, "sector": sector.value, "regency": regency_code},
    )
    return user


def get_organization(session: Session, organization_id: int) -> Organization:
    """An organisation within the current reach; anything else is simply not found."""
    organization = session.scalar(select(Organization).where(Organization.id == organization_id))
    if organization is None:
        raise NotFound(_("Organisation not found."))
    return organization


def organizations_in_reach(session: Session) -> list[Organization]:
    return list(session.scalars(select(Organization).order_by(Organization.name)))
