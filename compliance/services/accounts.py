"""Logging in (with a database-backed rate limit), changing and resetting passwords."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2.exceptions import VerificationError
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload

from compliance.clock import utcnow
from compliance.models.accounts import LoginAttempt, User, new_session_token
from compliance.models.audit import AuditEvent
from compliance.models.organizations import Organization
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import ServiceError, emails, settings
from compliance.services.audit import record_event
from compliance.services.organizations import normalise_email
from compliance.services.passwords import (
    RESET,
    check_strength,
    fingerprint_matches,
    hash_password,
    hasher,
    make_reset_token,
    read_reset_token,
    verify_password,
)

#: Verified against when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH: dict[str, str] = {}


class LoginThrottled(ServiceError):
    """Too many failed attempts recently; the message says when to try again."""


def find_user_by_email(session: Session, email: str) -> User | None:
    # Called before anybody is logged in, so there is no reach yet; e-mails are global.
    return session.scalar(
        select(User)
        .where(User.email == normalise_email(email))
        .execution_options(**{SKIP_OPTION: True})
    )


def load_user_for_session(session: Session, cookie_id: str) -> User | None:
    """Flask-Login's loader: the documented tenant-scope bypass (the reach comes from the user).

    Every page reads the user's reach and zone (the organisation, or an inspector's provinces,
    or an officer's regencies) and an HR manager's pages the billing account (the payment
    banner), so all of it comes in this one query instead of a lazy load each (a user has
    one organisation, or a few provinces, or a few regencies: a few rows at most)."""
    user_id, _sep, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = (
        session.scalars(
            select(User)
            .where(User.id == int(user_id))
            .options(
                joinedload(User.organization).joinedload(Organization.billing_account),
                joinedload(User.provinces),
                joinedload(User.regencies),
            )
            .execution_options(**{SKIP_OPTION: True})
        )
        .unique()
        .one_or_none()
    )
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def _recent_failures(session: Session, column: InstrumentedAttribute[str], value: str) -> int:
    since = utcnow() - timedelta(seconds=settings().login_window_seconds)
    return (
        session.scalar(
            select(func.count(LoginAttempt.id)).where(
                column == value,
                LoginAttempt.created_at >= since,
                LoginAttempt.is_success.is_(False),
            )
        )
        or 0
    )


def _pair_failures(session: Session, email: str, ip_address: str) -> list[datetime]:
    """When this address failed for this account, within the window and since the last
    success from there (a success, or a password reset, starts the count again)."""
    since = utcnow() - timedelta(seconds=settings().login_window_seconds)
    pair = (LoginAttempt.email == email, LoginAttempt.ip_address == ip_address)
    last_success = session.scalar(
        select(func.max(LoginAttempt.created_at)).where(*pair, LoginAttempt.is_success.is_(True))
    )
    if last_success is not None:
        since = max(since, last_success)
    return list(
        session.scalars(
            select(LoginAttempt.created_at).where(
                *pair, LoginAttempt.created_at >= since, LoginAttempt.is_success.is_(False)
            )
        )
    )


def lockout_seconds(failures: int) -> int:
    """How long an (account, address) pair waits after `failures` failures: nothing up to the
    limit, then 30 seconds, doubling with each further failure, at most the window."""
    config = settings()
    beyond = failures - config.login_max_failures
    if beyond < 0:
        return 0
    return min(30 * 2 ** min(beyond, 16), config.login_window_seconds)


def _check_throttle(session: Session, email: str, ip_address: str) -> None:
    """Locks are per (account, address): wrong passwords typed elsewhere never lock the real
    user out, and one address trying many accounts is stopped by its own limit."""
    config = settings()
    too_many_here = (
        _recent_failures(session, LoginAttempt.ip_address, ip_address)
        >= config.login_max_failures_per_ip
    )
    failures = _pair_failures(session, email, ip_address)
    wait = lockout_seconds(len(failures))
    remaining = (max(failures) + timedelta(seconds=wait) - utcnow()).total_seconds() if wait else 0
    if too_many_here or remaining > 0:
        minutes = max(1, -(-int(max(remaining, 60)) // 60))
        raise LoginThrottled(
            _(
                "Too many failed attempts. Try again in %(minutes)d minutes "
                "or reset your password.",
                minutes=minutes,
            )
        )


def authenticate(session: Session, email: str, password: str, ip_address: str) -> User:
    """Return the user for these credentials or raise; every attempt is recorded."""
    email = normalise_email(email)
    _check_throttle(session, email, ip_address)
    user = find_user_by_email(session, email)
    if user is None:
        _burn_time(password)
        ok = False
    else:
        ok = user.is_active and verify_password(user, password)
    session.add(LoginAttempt(email=email, ip_address=ip_address, is_success=ok))
    if not ok or user is None:
        session.flush()
        raise ServiceError(_("The e-mail address or password is not correct."), field="email")
    user.last_login_at = utcnow()
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def _burn_time(password: str) -> None:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hasher().hash("not-a-real-password")
    with contextlib.suppress(VerificationError):  # only the time spent matters
        hasher().verify(_DUMMY_HASH["hash"], password)


def _set_password(user: User, password: str) -> None:
    check_strength(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    # A new session token logs the user out everywhere else (the cookie embeds it).
    user.session_token = new_session_token()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user, current):
        raise ServiceError(_("Your current password is not correct."), field="current_password")
    _set_password(user, new)
    record_event(session, user, "user.password_changed", user, organization_id=user.organization_id)


#: Reset mails one address receives per hour at most: more requests are answered the same way
#: but send nothing, so nobody can flood a mailbox through this form.
RESET_MAILS_PER_HOUR = 3


def _recent_reset_mails(session: Session, user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return (
        session.scalar(
            select(func.count(AuditEvent.id))
            .where(
                AuditEvent.action == "user.password_reset_requested",
                AuditEvent.target_id == str(user.id),
                AuditEvent.occurred_at >= since,
            )
            .execution_options(**{SKIP_OPTION: True})
        )
        or 0
    )


def request_password_reset(session: Session, email: str, reset_url: Callable[[str], str]) -> None:
    """E-mail a reset link if the account exists; say nothing either way to the caller."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    if _recent_reset_mails(session, user) >= RESET_MAILS_PER_HOUR:
        return
    # Without a saved language, the one the form was filled in: most likely the owner's.
    emails.send(
        session,
        "password_reset",
        [emails.for_user(session, user, fallback=emails.request_locale())],
        minutes=settings().reset_token_max_age // 60,
        action_url=reset_url(make_reset_token(user, RESET)),
    )
    record_event(
        session, None, "user.password_reset_requested", user, organization_id=user.organization_id
    )


def reset_password(session: Session, token: str, new: str, purpose: str = RESET) -> User:
    """Set a new password from an e-mailed link; a used or expired link is refused."""
    user_id, fingerprint = read_reset_token(token, purpose)
    user = session.scalar(
        select(User).where(User.id == user_id).execution_options(**{SKIP_OPTION: True})
    )
    if user is None or not user.is_active or not fingerprint_matches(user, fingerprint):
        raise ServiceError(_("This link has already been used. Ask for a new one."))
    _set_password(user, new)
    # Whoever proved they hold the mailbox starts afresh: earlier failures no longer lock.
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == user.email, LoginAttempt.is_success.is_(False)
        )
    )
    record_event(
        session,
        user,
        f"user.{purpose.replace('-', '_')}",
        user,
        organization_id=user.organization_id,
    )
    return user


def log_out(session: Session, user: User) -> None:
    """End the user's sessions server-side: a copy of the cookie taken before logging out (or
    any other device's) no longer opens anything. The token is part of every login cookie."""
    user.session_token = new_session_token()
    record_event(session, user, "user.logged_out", user, organization_id=user.organization_id)
