"""E-mails of the referral loop: to the company's HR managers, the ULD's officers and the
candidate (their own introduction).

Messages never carry a candidate's identity or disability: they say what happened and ask the
reader to open Kuota Inklusi, where the page shows what their role may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.clock import zone_of_region
from compliance.models.accounts import User
from compliance.models.organizations import Organization
from compliance.models.referrals import ReferralRequest
from compliance.models.registry import Uld, uld_officers
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import emails


def uld_recipients(session: Session, uld: Uld) -> list[emails.Recipient]:
    """The ULD's active officers, each in their language, and the ULD's own address (no
    account: the default language, the ULD's zone)."""
    # Officers are other users: the acting HR manager's scope would hide them.
    officers = session.scalars(
        select(User)
        .join(uld_officers, uld_officers.c.user_id == User.id)
        .where(uld_officers.c.uld_id == uld.id, User.is_active.is_(True))
        .order_by(User.id)
        .execution_options(**{SKIP_OPTION: True})
    )
    recipients = [emails.for_user(session, officer) for officer in officers]
    if uld.email:
        zone = zone_of_region(uld.regency_code or uld.province_code)
        recipients.append(emails.for_address(uld.email, zone=zone))
    return recipients


def tell_company(session: Session, request: ReferralRequest, template: str, **context: Any) -> None:
    """`email/<template>` to the company's HR managers, linking to their page of the request."""
    emails.send_to_hr_managers(
        session,
        request.organization_id,
        template,
        title=request.title,
        action_url=emails.site_url("registry.show_request", request_id=request.id),
        **context,
    )


def tell_uld(session: Session, request: ReferralRequest, template: str, **context: Any) -> None:
    """`email/<template>` to the ULD the request went to, linking to the officers' page of it."""
    uld = session.get(Uld, request.uld_id) if request.uld_id is not None else None
    if uld is None:
        return
    emails.send(
        session,
        template,
        uld_recipients(session, uld),
        uld=uld.name,
        title=request.title,
        action_url=emails.site_url("registry.match_request", request_id=request.id),
        **context,
    )


def tell_candidate(session: Session, address: str, request: ReferralRequest) -> None:
    """The candidate's own copy of the introduction: which company now has their contact. They
    have no account, so no link: the company will contact them."""
    name = session.scalar(
        select(Organization.name)
        .where(Organization.id == request.organization_id)
        .execution_options(**{SKIP_OPTION: True})
    )
    uld = session.get(Uld, request.uld_id) if request.uld_id is not None else None
    zone = zone_of_region(uld.regency_code or uld.province_code) if uld is not None else None
    emails.send(
        session,
        "candidate_introduction",
        [emails.for_address(address, zone=zone)],
        company=name or "",
        title=request.title,
        uld=uld.name if uld is not None else "ULD",
    )
