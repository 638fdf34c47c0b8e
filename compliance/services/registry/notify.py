"""E-mails of the referral loop: to the company's HR managers, the ULD's officers and the
candidate (their own introduction).

Messages never carry a candidate's identity or disability: they say what happened and ask the
reader to open Kuota Inklusi, where the page shows what their role may see.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.integrations.mail import Mail, send_after_commit
from compliance.models.accounts import Role, User
from compliance.models.organizations import Organization
from compliance.models.referrals import ReferralRequest
from compliance.models.registry import Uld, uld_officers
from compliance.models.tenancy import SKIP_OPTION


def _send(session: Session, addresses: set[str], subject: str, body: str) -> None:
    for address in sorted(addresses):
        send_after_commit(session, Mail(to=address, subject=subject, body=body))


def hr_addresses(session: Session, organization_id: int) -> set[str]:
    # Another tenant's users: the officer acting here may not read them through the scope.
    return set(
        session.scalars(
            select(User.email)
            .where(
                User.organization_id == organization_id,
                User.role == Role.HR_MANAGER,
                User.is_active.is_(True),
            )
            .execution_options(**{SKIP_OPTION: True})
        )
    )


def uld_addresses(session: Session, uld_id: int | None) -> set[str]:
    if uld_id is None:
        return set()
    officers = session.scalars(
        select(User.email)
        .join(uld_officers, uld_officers.c.user_id == User.id)
        .where(uld_officers.c.uld_id == uld_id, User.is_active.is_(True))
        .execution_options(**{SKIP_OPTION: True})
    )
    uld = session.get(Uld, uld_id)
    extra = {uld.email} if uld is not None and uld.email else set()
    return set(officers) | extra


def tell_company(session: Session, request: ReferralRequest, subject: str, body: str) -> None:
    _send(session, hr_addresses(session, request.organization_id), subject, body)


def tell_uld(session: Session, request: ReferralRequest, subject: str, body: str) -> None:
    _send(session, uld_addresses(session, request.uld_id), subject, body)


def tell_candidate(session: Session, address: str, request: ReferralRequest) -> None:
    """The candidate's own copy of the introduction: which company now has their contact."""
    name = session.scalar(
        select(Organization.name)
        .where(Organization.id == request.organization_id)
        .execution_options(**{SKIP_OPTION: True})
    )
    _send(
        session,
        {address},
        _("You were introduced to %(company)s", company=name),
        _(
            "As you agreed, the ULD gave %(company)s your name and contact details for the "
            "position %(title)s. They may contact you about an interview.",
            company=name,
            title=request.title,
        ),
    )
