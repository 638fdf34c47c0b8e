"""Personal access tokens: made and revoked by their owner, checked on every API request.

A token reads `kin_<prefix>_<secret>`: the prefix (shown in the owner's list) says which token
it is, the secret is 32 random bytes. Only the SHA-256 of the whole token is stored, so a copy
of the database authenticates nobody. A token acts as its owner, with the owner's role and
reach at the moment of the request: a user who is deactivated, or moves to another
organisation, takes every token along.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.api import ApiToken
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import NotFound, ServiceError
from compliance.services.audit import record_event

TOKEN_PREFIX = "kin_"  # noqa: S105 (a marker, not a secret)
#: How long a token may live, in days; the settings page offers these.
LIFETIMES = (30, 90, 365)
#: Live tokens per person: enough for every system they connect, few enough to review.
MAX_LIVE_TOKENS = 20
#: `last_used_at` is written at most this often, so reading the API is not a write per call.
LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _live(now: datetime) -> ColumnElement[bool]:
    return and_(ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)


def tokens_of(session: Session, actor: User) -> list[ApiToken]:
    """The actor's own tokens, newest first (revoked and expired ones too: the list is their
    history)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == actor.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(
    session: Session, actor: User, *, name: str, can_write: bool, lifetime_days: int
) -> tuple[ApiToken, str]:
    """Make a token for the actor; returns it with its secret, which is never shown again."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError(_("Give the token a name, such as the system that will use it."), "name")
    if len(name) > 80:
        raise ServiceError(_("A token's name has at most 80 characters."), "name")
    if lifetime_days not in LIFETIMES:
        raise ServiceError(_("Choose how long the token lasts."), "lifetime_days")
    now = utcnow()
    live = session.scalar(
        select(func.count(ApiToken.id)).where(ApiToken.user_id == actor.id, _live(now))
    )
    if (live or 0) >= MAX_LIVE_TOKENS:
        raise ServiceError(
            _("You have %(count)d tokens in use: revoke one before making another.", count=live)
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user_id=actor.id,
        name=name,
        prefix=f"{TOKEN_PREFIX}{prefix}",
        secret_hash=_digest(secret),
        can_write=can_write,
        expires_at=now + timedelta(days=lifetime_days),
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        actor,
        "api_token.created",
        token,
        organization_id=actor.organization_id,
        data={
            "name": name,
            "scopes": list(token.scopes),
            "expires_at": f"{token.expires_at:%Y-%m-%d}",
        },
    )
    return token, secret


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """End one of the actor's own tokens at once; revoking twice changes nothing."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.id)
    )
    if token is None:
        raise NotFound(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        record_event(
            session,
            actor,
            "api_token.revoked",
            token,
            organization_id=actor.organization_id,
            data={"name": token.name},
        )
    return token


def authenticate(session: Session, presented: str) -> ApiToken | None:
    """The live token `presented` is, with its active owner; None for anything else (unknown,
    revoked, expired, or an owner who may no longer log in), all alike to the caller."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return None
    now = utcnow()
    token = session.scalar(
        select(ApiToken)
        .where(ApiToken.secret_hash == _digest(presented), _live(now))
        # The token decides the reach, as Flask-Login's user loader does for a cookie.
        .execution_options(**{SKIP_OPTION: True})
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
    return token
