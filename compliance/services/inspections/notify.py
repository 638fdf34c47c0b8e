"""E-mail to an organisation's HR managers about a review or a case, after commit.

The inspector's session is scoped to their provinces and `User` rows to the actor themself, so
the HR managers are found past the tenant scope (`emails.hr_managers`): the addresses of one
organisation the caller has already proved is in reach. Each is written to in their language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from compliance.integrations.mail import Attachment
from compliance.services import emails

#: The HR manager's inspections page (the route's path; e-mails link with `emails.site_url`).
HR_PATH = "/organization/inspections"


def notify_hr(
    session: Session,
    organization_id: int,
    template: str,
    *,
    attachments: Sequence[Attachment] = (),
    **context: Any,
) -> None:
    """`email/<template>` to the organisation's HR managers, with `attachments` (a letter)."""
    emails.send_to_hr_managers(
        session, organization_id, template, attachments=attachments, **context
    )
