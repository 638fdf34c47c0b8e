"""E-mail to an organisation's HR managers about a review or a case, after commit.

The inspector's session is scoped to their provinces and `User` rows are scoped to the actor
themself, so finding the HR managers' addresses skips the tenant scope explicitly: it reads
addresses of one organisation the caller has already proved is in reach.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.integrations.mail import Mail, send_after_commit
from compliance.models.accounts import Role, User
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import settings

#: The HR manager's inspections page (also the route's path): jobs have no request to build
#: a URL from, so the link is the configured base URL plus this path.
HR_PATH = "/organization/inspections"


def hr_emails(session: Session, organization_id: int) -> list[str]:
    return list(
        session.scalars(
            select(User.email)
            .where(
                User.organization_id == organization_id,
                User.role == Role.HR_MANAGER,
                User.is_active.is_(True),
            )
            .order_by(User.id)
            .execution_options(**{SKIP_OPTION: True})
        )
    )


def notify_hr(session: Session, organization_id: int, subject: str, body: str) -> None:
    """`body` ends with a link to the HR manager's inspection page."""
    link = settings().base_url + HR_PATH
    for email in hr_emails(session, organization_id):
        send_after_commit(session, Mail(to=email, subject=subject, body=f"{body}\n\n{link}\n"))
