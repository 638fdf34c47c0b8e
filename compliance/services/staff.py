"""Accounts an admin creates: inspectors (with provinces) and registry officers (with regencies)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User, new_session_token
from compliance.models.regions import Province, Regency
from compliance.services import NotFound, PermissionDenied, ServiceError, emails
from compliance.services.audit import record_event
from compliance.services.organizations import email_taken, normalise_email
from compliance.services.passwords import ACCOUNT_SETUP, hash_password, make_reset_token

STAFF_ROLES = (Role.INSPECTOR, Role.REGISTRY_OFFICER, Role.ADMIN)
NIP_DIGITS = 18


def parse_nip(raw: str | None) -> str | None:
    """A civil servant's NIP as stored: its 18 digits, written with or without the usual spaces
    ("19850101 201001 1 001"); empty is none. Anything else is refused at the field."""
    digits = "".join((raw or "").split())
    if not digits:
        return None
    if len(digits) != NIP_DIGITS or not digits.isascii() or not digits.isdigit():
        raise ServiceError(
            _("A NIP has 18 digits, for example 19850101 201001 1 001."), field="nip"
        )
    return digits


def format_nip(nip: str) -> str:
    """The NIP as it is printed: date of birth, start of service, sex, number."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def _require_admin(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(_("Only administrators can manage staff accounts."))


def _assign_regions(session: Session, user: User, codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    if user.role is Role.INSPECTOR:
        provinces = list(session.scalars(select(Province).where(Province.code.in_(wanted))))
        if not provinces or len(provinces) != len(wanted):
            raise ServiceError(_("Choose at least one province from the list."), field="regions")
        user.provinces = provinces
        user.regencies = []
    elif user.role is Role.REGISTRY_OFFICER:
        regencies = list(session.scalars(select(Regency).where(Regency.code.in_(wanted))))
        if not regencies or len(regencies) != len(wanted):
            raise ServiceError(
                _("Choose at least one regency or city from the list."), field="regions"
            )
        user.regencies = regencies
        user.provinces = []
    else:
        wanted = []
    return wanted


def create_staff_account(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    role: str,
    region_codes: Iterable[str],
    setup_url: Callable[[str], str],
    nip: str | None = None,
) -> User:
    """Create the account and e-mail a link to choose a password (the admin never knows it)."""
    _require_admin(actor)
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise ServiceError(_("Choose a role from the list."), field="role") from exc
    if role_value not in STAFF_ROLES:
        raise ServiceError(
            _("HR managers sign up themselves or are invited by a colleague."), field="role"
        )
    email = normalise_email(email)
    if email_taken(session, email):
        raise ServiceError(_("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        name=name.strip(),
        role=role_value,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        nip=parse_nip(nip),
    )
    regions = _assign_regions(session, user, region_codes)
    session.add(user)
    session.flush()
    # No saved language yet: the administrator's, who chose to write to them.
    emails.send(
        session,
        "account_setup",
        [emails.for_user(session, user, fallback=emails.request_locale())],
        action_url=setup_url(make_reset_token(user, ACCOUNT_SETUP)),
    )
    record_event(
        session,
        actor,
        "user.created",
        user,
        data={"role": role_value.value, "regions": regions, "email": email},
    )
    return user


def get_staff_member(session: Session, user_id: int) -> User:
    user = session.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise NotFound(_("User not found."))
    return user


def update_staff_account(
    session: Session,
    actor: User,
    user: User,
    *,
    region_codes: Iterable[str],
    is_active: bool,
    nip: str | None = None,
) -> None:
    _require_admin(actor)
    if user.id == actor.id and not is_active:
        raise ServiceError(_("You cannot deactivate your own account."), field="is_active")
    regions = _assign_regions(session, user, region_codes)
    user.is_active = is_active
    user.nip = parse_nip(nip)
    record_event(
        session,
        actor,
        "user.updated",
        user,
        organization_id=user.organization_id,
        data={"regions": regions, "is_active": is_active, "nip_recorded": user.nip is not None},
    )


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.name)))


def end_sessions(session: Session, actor: User, user: User) -> None:
    """Sign `user` out on every device: each login cookie carries the session token, so a new
    token turns every cookie issued before it away (a stolen laptop, a shared computer)."""
    _require_admin(actor)
    user.session_token = new_session_token()
    record_event(session, actor, "user.sessions_ended", user, organization_id=user.organization_id)
