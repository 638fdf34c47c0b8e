"""E-mails rendered from templates, one per recipient, in the recipient's language and zone.

Every notification is a pair of templates, `email/<name>.txt` and `email/<name>.html`, both
extending a layout; the subject is the text template's `subject` block. Callers keep their rules
(who is told, and when) and hand over a template name, the recipients and the facts.

Why per recipient: the person who triggers a notification (an inspector reading English, a job
with no reader at all) is not the one who reads it, so each message is rendered under
`force_locale(recipient.locale)` and with the recipient's time zone for `|date`. Why links from
`site_url`: a request's Host header is the visitor's to choose (host-header poisoning), and jobs
and webhooks have no request at all, so a link that leaves in an e-mail is `BASE_URL` plus the
route's path, whoever sends it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from flask import current_app, g, has_request_context
from flask_babel import force_locale, get_locale, refresh
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from compliance.clock import WIB, Zone
from compliance.i18n import DEFAULT_LOCALE, LANGUAGES, screen_zone
from compliance.integrations.mail import Attachment, Mail
from compliance.models.accounts import Role, User
from compliance.models.organizations import Organization
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import settings
from compliance.services.outbox import queue_mail

_SKIP_SCOPE = {SKIP_OPTION: True}


@dataclass(frozen=True)
class Recipient:
    """Who a message is for and how they read it: language, time zone, name for the greeting."""

    address: str
    locale: str
    zone: Zone = WIB
    name: str = ""


def default_locale() -> str:
    """The configured default language (Indonesian unless configured otherwise)."""
    configured = current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    return str(configured) if configured in LANGUAGES else DEFAULT_LOCALE


def _language(locale: str | None, fallback: str | None = None) -> str:
    for choice in (locale, fallback):
        if choice in LANGUAGES:
            return str(choice)
    return default_locale()


def request_locale() -> str:
    """The language of the request being served (the sender's); the default outside one."""
    return _language(str(get_locale() or "")) if has_request_context() else default_locale()


def for_user(session: Session, user: User, fallback: str | None = None) -> Recipient:
    """An account holder: their saved language (else `fallback`, else the default) and the
    zone their pages use."""
    return Recipient(
        user.email, _language(user.locale, fallback), _zone_of(session, user), user.name
    )


def for_address(
    address: str, locale: str | None = None, zone: Zone | None = None, name: str = ""
) -> Recipient:
    """An address without an account (an invitee, a candidate, a ULD's office): the language
    the caller knows for it (the inviter's) or the default; the sender's zone if in a request."""
    return Recipient(address, _language(locale), zone or screen_zone(), name)


def for_mailbox(
    session: Session, address: str, fallback: str | None = None, name: str = ""
) -> Recipient:
    """Whoever reads `address`: its account holder if there is one, else the bare address
    (greeted as `name`, when the sender knows it).

    Sign-up and invitations call this on both of their paths (address free or taken), so the
    work done does not tell the visitor which it was."""
    user = session.scalar(
        select(User).where(User.email == address).execution_options(**_SKIP_SCOPE)
    )
    if user is None:
        return for_address(address, fallback, name=name)
    return for_user(session, user, fallback)


def _zone_of(session: Session, user: User) -> Zone:
    if user.organization_id is None:
        return user.zone  # staff: from their provinces or regencies (not tenant data)
    # The sender may be outside the recipient's organisation (or not logged in at all).
    organization = _organization(session, user.organization_id)
    return organization.zone if organization is not None else WIB


def _organization(session: Session, organization_id: int) -> Organization | None:
    return session.scalar(
        select(Organization)
        .where(Organization.id == organization_id)
        .execution_options(**_SKIP_SCOPE)
    )


def hr_managers(session: Session, organization_id: int) -> list[Recipient]:
    """The organisation's active HR managers. Read past the tenant scope: an inspector or a ULD
    officer notifies a company whose users they may not list, and a job has every reach."""
    organization = _organization(session, organization_id)
    zone = organization.zone if organization is not None else WIB
    users = session.scalars(_hr_managers_query([organization_id]))
    return [_hr_recipient(user, zone) for user in users]


@dataclass(frozen=True)
class HrManagers:
    """An organisation's HR managers as `send_to_hr_managers` tells them, read beforehand."""

    organization: str  # the organisation's name, for the footer
    recipients: tuple[Recipient, ...]


def hr_managers_of(
    session: Session, organizations: Sequence[Organization]
) -> dict[int, HrManagers]:
    """`hr_managers` of many organisations in one query, by organisation id: a job that tells
    thousands of organisations reads them per chunk, not per message."""
    by_id = {organization.id: organization for organization in organizations}
    found: dict[int, list[Recipient]] = {organization_id: [] for organization_id in by_id}
    for user in session.scalars(_hr_managers_query(list(by_id))):
        assert user.organization_id is not None  # the query asks for an organisation's users
        found[user.organization_id].append(_hr_recipient(user, by_id[user.organization_id].zone))
    return {
        organization_id: HrManagers(by_id[organization_id].name, tuple(recipients))
        for organization_id, recipients in found.items()
    }


def _hr_managers_query(organization_ids: list[int]) -> Select[User]:
    return (
        select(User)
        .where(
            User.organization_id.in_(organization_ids),
            User.role == Role.HR_MANAGER,
            User.is_active.is_(True),
        )
        .order_by(User.organization_id, User.id)
        .execution_options(**_SKIP_SCOPE)
    )


def _hr_recipient(user: User, zone: Zone) -> Recipient:
    return Recipient(user.email, _language(user.locale), zone, user.name)


def send_to_hr_managers(
    session: Session,
    organization_id: int,
    template: str,
    *,
    attachments: Sequence[Attachment] = (),
    managers: HrManagers | None = None,
    **context: Any,
) -> int:
    """`send` to the organisation's HR managers, the footer naming the organisation; read here
    unless the caller read them already (`hr_managers_of`)."""
    if managers is None:
        organization = _organization(session, organization_id)
        name = organization.name if organization is not None else ""
        managers = HrManagers(name, tuple(hr_managers(session, organization_id)))
    return send(
        session,
        template,
        managers.recipients,
        attachments=attachments,
        organization=managers.organization,
        **context,
    )


def site_url(endpoint: str, **values: Any) -> str:
    """The absolute link to a page: `BASE_URL` and the route's path, never the Host header.

    Built from the URL map rather than `url_for`, which needs a request (or SERVER_NAME) and
    would take the host from it."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return settings().base_url + path


def send(
    session: Session,
    template: str,
    recipients: Iterable[Recipient],
    *,
    attachments: Sequence[Attachment] = (),
    **context: Any,
) -> int:
    """Queue one message per distinct address, each in its reader's language and with the same
    `attachments` (stored in the outbox, delivered once the session commits); returns how many."""
    seen: set[str] = set()
    for recipient in recipients:
        if recipient.address in seen:
            continue
        seen.add(recipient.address)
        mail = render(template, recipient, **context)
        queue_mail(session, replace(mail, attachments=tuple(attachments)))
    return len(seen)


def render(template: str, recipient: Recipient, **context: Any) -> Mail:
    """The message `email/<template>` makes for `recipient`: text first, then HTML.

    Rendered straight from the Jinja environment: no context processor runs (they may read the
    request or the logged-in user, neither of whom is the reader)."""
    env = current_app.jinja_env
    values: dict[str, Any] = {
        "lang": recipient.locale,
        "recipient": recipient,
        "action_url": "",
        **context,
    }
    with force_locale(recipient.locale), _reading_zone(recipient.zone):
        text_template = env.get_template(f"email/{template}.txt")
        subject_block = text_template.blocks["subject"](text_template.new_context(values))
        values["subject"] = " ".join("".join(subject_block).split())
        text = _tidy(text_template.render(values))
        html = env.get_template(f"email/{template}.html").render(values)
    return Mail(
        to=recipient.address,
        subject=values["subject"],
        body=text,
        html=html,
        language=recipient.locale,
    )


@contextmanager
def _reading_zone(zone: Zone) -> Iterator[None]:
    """`|date` shows instants in `screen_zone()` (the zone on `g`), which Flask-Babel caches:
    swap both for the reader's zone, and put the sender's back afterwards."""
    had_zone, before = "zone" in g, g.get("zone")
    g.zone = zone
    refresh()
    try:
        yield
    finally:
        if had_zone:
            g.zone = before
        else:
            g.pop("zone", None)
        refresh()


_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """Templates are written for reading; the message keeps one blank line between paragraphs."""
    lines = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return _BLANK_LINES.sub("\n\n", lines) + "\n"
