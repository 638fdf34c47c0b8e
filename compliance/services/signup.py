"""Self-service sign-up, confirmed by e-mail, without telling a visitor who has an account.

Why two steps: answering "an account with this address already exists" on the sign-up form
tells anyone which addresses (and so which HR managers) use the product. Instead the form
always answers the same way, "we e-mailed a link to finish", and the mailbox's owner gets
either the link (a new address) or a note that they already have an account (an address in
use). Only the owner of the address learns which, and only by reading their mail. The same
work is done on both paths (the password is hashed, a mail is written), so the time of the
answer does not tell either.

The link carries the sign-up itself, so nothing is stored until it is opened: no organisation
or identifier is held by a visitor who never confirms. The payload is encrypted with the data
keys (it holds the password's hash) and signed with a time limit; opening it twice fails on
the identifiers the first opening registered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.organizations import Organization, Sector
from compliance.models.regions import Regency
from compliance.models.tenancy import SKIP_OPTION
from compliance.models.types import key_ring
from compliance.services import ServiceError, emails, settings
from compliance.services.organizations import (
    create_organization,
    email_taken,
    normalise_email,
    normalise_nib,
    normalise_npwp,
)
from compliance.services.passwords import check_strength, hash_password
from compliance.services.throttle import allow

#: How long the link to finish signing up works.
CONFIRM_MAX_AGE_S = 24 * 3600
#: Sign-up mails one address receives per hour at most (link or notice alike): more requests
#: are answered the same way but send nothing, so nobody can flood a mailbox through the form.
MAILS_PER_HOUR = 3
_SALT = "sign-up"


@dataclass(frozen=True)
class SignUp:
    """What the sign-up form asks for, as typed."""

    organization_name: str
    nib: str
    npwp: str
    sector: str
    regency_code: str
    name: str
    email: str
    password: str


@dataclass(frozen=True)
class _Pending:
    """The checked sign-up carried by the link: identifiers normalised, password hashed."""

    organization_name: str
    nib: str
    npwp: str
    sector: str
    regency_code: str
    name: str
    email: str
    password_hash: str


@dataclass(frozen=True)
class Links:
    """Where the mails point (built by the caller from `BASE_URL`)."""

    confirm: Callable[[str], str]
    log_in: str
    reset_password: str


def request_sign_up(session: Session, form: SignUp, links: Links) -> str:
    """Check the sign-up and e-mail its address; the normalised address, for the answer.

    Field errors about the organisation (NIB, NPWP, sector, regency) and the password are
    raised as usual: they say nothing about who has an account.
    """
    pending = _checked(session, form)
    mail_key = hashlib.sha256(pending.email.encode()).hexdigest()
    if not allow(session, "sign_up_mail", mail_key, limit=MAILS_PER_HOUR, window_seconds=3600):
        return pending.email
    # The account holder's language if the address has one, else the form's; looked up on
    # both paths, so the time of the answer does not tell either.
    recipient = emails.for_mailbox(
        session, pending.email, fallback=emails.request_locale(), name=pending.name
    )
    if email_taken(session, pending.email):
        emails.send(
            session,
            "signup_taken",
            [recipient],
            organization=pending.organization_name,
            action_url=links.log_in,
            reset_url=links.reset_password,
        )
    else:
        emails.send(
            session,
            "signup_confirm",
            [recipient],
            organization=pending.organization_name,
            action_url=links.confirm(_token(pending)),
        )
    return pending.email


def complete_sign_up(session: Session, token: str) -> User:
    """Register the organisation from an opened link; the first HR manager is returned."""
    pending = _read(token)
    if email_taken(session, pending.email) or _identifier_taken(session, pending):
        raise ServiceError(_("This link has already been used. Log in instead."))
    return create_organization(
        session,
        organization_name=pending.organization_name,
        nib=pending.nib,
        npwp=pending.npwp,
        sector=Sector(pending.sector),
        regency_code=pending.regency_code,
        name=pending.name,
        email=pending.email,
        password_hash=pending.password_hash,
    )


def _checked(session: Session, form: SignUp) -> _Pending:
    nib, npwp = normalise_nib(form.nib), normalise_npwp(form.npwp)
    email = normalise_email(form.email)
    try:
        sector = Sector(form.sector)
    except ValueError as exc:
        raise ServiceError(_("Choose a sector from the list."), field="sector") from exc
    if session.get(Regency, form.regency_code) is None:
        raise ServiceError(_("Choose a regency or city from the list."), field="regency")
    check_strength(form.password, email=email, name=form.name)
    pending = _Pending(
        organization_name=form.organization_name.strip(),
        nib=nib,
        npwp=npwp,
        sector=sector.value,
        regency_code=form.regency_code,
        name=form.name.strip(),
        email=email,
        password_hash=hash_password(form.password),  # on both paths: the same time either way
    )
    taken = _identifier_taken(session, pending)
    if taken:
        raise ServiceError(
            _(
                "An organisation with this %(identifier)s is already registered. "
                "Ask its HR manager to invite you.",
                identifier=taken.upper(),
            ),
            field=taken,
        )
    return pending


def _identifier_taken(session: Session, pending: _Pending) -> str | None:
    """ "nib" or "npwp" when an organisation holds it already (identifiers are public)."""
    existing = session.execute(
        select(Organization.nib, Organization.npwp)
        .where((Organization.nib == pending.nib) | (Organization.npwp == pending.npwp))
        .execution_options(**{SKIP_OPTION: True})  # duplicates are checked across tenants
    ).first()
    if existing is None:
        return None
    return "nib" if existing.nib == pending.nib else "npwp"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key, salt=_SALT)


def _token(pending: _Pending) -> str:
    sealed = key_ring().encrypt(json.dumps(asdict(pending)).encode())
    return _serializer().dumps(sealed)


def _read(token: str) -> _Pending:
    try:
        sealed = _serializer().loads(token, max_age=CONFIRM_MAX_AGE_S)
        return _Pending(**json.loads(key_ring().decrypt(str(sealed))))
    except SignatureExpired as exc:
        raise ServiceError(_("This link has expired. Sign up again.")) from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise ServiceError(_("This link is not valid.")) from exc
