"""E-mail to an organisation's HR managers, for billing problems and scheduled reminders.

Links are built from `BASE_URL`: webhooks and jobs run outside any request the user made.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.integrations.mail import Mail, send_after_commit
from compliance.models.accounts import Role, User
from compliance.services import settings


def link(path: str) -> str:
    """An absolute link to `path` on this site."""
    return settings().base_url + path


def hr_managers(session: Session, organization_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(
                User.organization_id == organization_id,
                User.role == Role.HR_MANAGER,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )


def mail_hr_managers(session: Session, organization_id: int, subject: str, body: str) -> int:
    """Queue one message per active HR manager (sent on commit); returns how many."""
    recipients = hr_managers(session, organization_id)
    for user in recipients:
        send_after_commit(session, Mail(to=user.email, subject=subject, body=body))
    return len(recipients)
