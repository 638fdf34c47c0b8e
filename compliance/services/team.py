"""An HR manager's team: inviting colleagues by e-mail link and accepting an invitation."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from compliance.clock import utcnow
from compliance.models.accounts import Invitation, Role, User
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import NotFound, PermissionDenied, ServiceError, emails, settings
from compliance.services.audit import record_event
from compliance.services.organizations import email_taken, normalise_email
from compliance.services.passwords import check_strength, hash_password
from compliance.services.policy import can_manage_organization, own_organization_id


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def team_members(session: Session, organization_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User).where(User.organization_id == organization_id).order_by(User.name)
        )
    )


def pending_invitations(session: Session, organization_id: int) -> list[Invitation]:
    invitations = session.scalars(
        select(Invitation)
        .where(Invitation.organization_id == organization_id)
        .order_by(Invitation.created_at.desc())
    )
    return [i for i in invitations if i.is_pending]


def invite_colleague(
    session: Session, actor: User, email: str, accept_url: Callable[[str], str]
) -> Invitation:
    """Invite `email` to the actor's organisation; an earlier pending invitation is replaced.

    An address that already has an account is invited like any other, so the page does not
    tell a signed-up stranger who uses the product; its owner is told by mail instead that
    one account belongs to one organisation (the link would not work for them).
    """
    organization_id = own_organization_id(actor, _("Only HR managers can invite colleagues."))
    email = normalise_email(email)
    now = utcnow()
    for earlier in pending_invitations(session, organization_id):
        if earlier.email == email:
            earlier.revoked_at = now
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization_id=organization_id,
        email=email,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings().invitation_max_age_days),
    )
    session.add(invitation)
    session.flush()
    organization = actor.organization
    assert organization is not None
    # The account holder's language if the address has one; else the inviter's. Looked up on
    # both paths, so the time of the answer does not tell either.
    recipient = emails.for_mailbox(session, email, fallback=emails.request_locale())
    facts: dict[str, Any] = {
        "inviter": actor.name,
        "organization": organization.name,
        "days": settings().invitation_max_age_days,
    }
    if email_taken(session, email):
        emails.send(session, "invitation_taken", [recipient], **facts)
    else:
        emails.send(session, "invitation", [recipient], action_url=accept_url(token), **facts)
    record_event(
        session,
        actor,
        "invitation.sent",
        invitation,
        organization_id=organization_id,
        data={"email": email},
    )
    return invitation


def revoke_invitation(session: Session, actor: User, invitation_id: int) -> None:
    invitation = session.scalar(select(Invitation).where(Invitation.id == invitation_id))
    if invitation is None:
        raise NotFound(_("Invitation not found."))
    if not can_manage_organization(actor, invitation.organization_id):
        raise PermissionDenied(_("Only this organisation's HR managers can do that."))
    if not invitation.is_pending:
        raise ServiceError(_("This invitation was already accepted, withdrawn or has expired."))
    invitation.revoked_at = utcnow()
    record_event(
        session,
        actor,
        "invitation.revoked",
        invitation,
        organization_id=invitation.organization_id,
        data={"email": invitation.email},
    )


def find_invitation(session: Session, token: str) -> Invitation:
    """The pending invitation for an e-mailed token (looked up before anybody is logged in)."""
    invitation = session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == _token_hash(token))
        .options(joinedload(Invitation.organization))  # shown on the page; no reach yet
        .execution_options(**{SKIP_OPTION: True})
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise ServiceError(_("This invitation has already been accepted. Log in instead."))
    if not invitation.is_pending:
        raise ServiceError(_("This invitation has expired or was withdrawn. Ask for a new one."))
    return invitation


def accept_invitation(session: Session, token: str, name: str, password: str) -> User:
    invitation = find_invitation(session, token)
    if email_taken(session, invitation.email):
        raise ServiceError(_("This person already has an account."))
    check_strength(password, email=invitation.email, name=name)
    user = User(
        email=invitation.email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=Role.HR_MANAGER,
        organization_id=invitation.organization_id,
    )
    session.add(user)
    invitation.accepted_at = utcnow()
    session.flush()
    record_event(
        session,
        user,
        "invitation.accepted",
        invitation,
        organization_id=invitation.organization_id,
        data={"user_id": user.id},
    )
    return user
