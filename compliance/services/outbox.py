"""The outbox: every e-mail is stored with the change that causes it, then delivered by a task.

`queue_mail` builds the whole message now (in the reader's language, with its attachments and
its Message-ID) and stores it encrypted in the caller's transaction, with a `deliver_mail` task
(`integrations.queue`): both exist exactly when the change commits. `deliver` makes one attempt:
sent, or the server's answer kept and, after `MAX_ATTEMPTS`, the message marked failed, a dead
letter an admin sees on the mail page and can send again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import Enum

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, undefer

from compliance.clock import utcnow
from compliance.integrations.mail import Mail, Mailer, MailNotDelivered
from compliance.integrations.queue import enqueue
from compliance.models.accounts import User
from compliance.models.mail import MailStatus, OutgoingMail
from compliance.models.types import key_ring
from compliance.services import NotFound
from compliance.services.audit import record_event

log = logging.getLogger(__name__)
#: Attempts before a message is a dead letter: with the queue's back-off (5 s, 25 s, 2 min,
#: 10 min, 52 min) a mail server may be down for about an hour without anybody acting.
MAX_ATTEMPTS = 6
#: After n failed attempts, the next waits `RETRY_SECONDS ** n` seconds.
RETRY_SECONDS = 5
#: Delivered messages are kept this long (for support questions), failed ones longer.
KEEP_SENT = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


class Delivery(Enum):
    SENT = "sent"
    RETRY = "retry"
    GAVE_UP = "gave_up"
    NOTHING_TO_DO = "nothing_to_do"


def _mailer() -> Mailer:
    mailer = current_app.extensions["kuota_mailer"]
    assert isinstance(mailer, Mailer)
    return mailer


def queue_mail(session: Session, mail: Mail) -> OutgoingMail:
    """Store `mail` and its delivery task in `session`'s transaction."""
    message = _mailer().build(mail)
    row = OutgoingMail(
        recipient=mail.to,
        subject=mail.subject,
        message=key_ring().encrypt(bytes(message)),
    )
    session.add(row)
    session.flush()
    enqueue(session, "deliver_mail", mail_id=row.id)
    return row


def deliver(session: Session, mail_id: int, now: datetime | None = None) -> Delivery:
    """One delivery attempt of a queued message at `now` (the job's time; the clock's by
    default); the caller commits whatever the outcome."""
    row = session.scalar(
        select(OutgoingMail)
        .where(OutgoingMail.id == mail_id)
        .options(undefer(OutgoingMail.message))
        .with_for_update()  # an admin's "send again" and a retry never overlap
    )
    if row is None or row.status is not MailStatus.QUEUED:
        return Delivery.NOTHING_TO_DO  # sent already (a task run twice), or deleted
    row.attempts += 1
    row.last_attempt_at = now or utcnow()
    try:
        _mailer().deliver(key_ring().decrypt(row.message))
    except MailNotDelivered as failure:
        row.last_error = failure.reason
        if row.attempts >= MAX_ATTEMPTS:
            row.status = MailStatus.FAILED
            log.error("mail given up", extra={"mail_id": row.id, "attempts": row.attempts})
            return Delivery.GAVE_UP
        log.warning("mail refused, will retry", extra={"mail_id": row.id, "attempt": row.attempts})
        return Delivery.RETRY
    row.status, row.sent_at, row.last_error = MailStatus.SENT, now or utcnow(), None
    return Delivery.SENT


def due_for_retry(session: Session, now: datetime) -> list[int]:
    """Queued messages whose last attempt failed and whose back-off has passed, oldest first.

    Only the in-process queue needs this (its scheduled `mail_retries` job); procrastinate
    retries on its own."""
    rows = session.execute(
        select(OutgoingMail.id, OutgoingMail.attempts, OutgoingMail.last_attempt_at)
        .where(OutgoingMail.status == MailStatus.QUEUED, OutgoingMail.attempts > 0)
        .order_by(OutgoingMail.id)
    )
    return [
        mail_id
        for mail_id, attempts, last_attempt_at in rows
        if last_attempt_at is None
        or last_attempt_at + timedelta(seconds=RETRY_SECONDS**attempts) <= now
    ]


def failed_mail(session: Session, limit: int = 200) -> list[OutgoingMail]:
    """Dead letters, newest first, for the admins' mail page."""
    return list(
        session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.status == MailStatus.FAILED)
            .order_by(OutgoingMail.id.desc())
            .limit(limit)
        )
    )


def waiting_count(session: Session) -> int:
    """Messages not delivered yet (being retried, or waiting for a worker)."""
    return _count(session, MailStatus.QUEUED)


def failed_count(session: Session) -> int:
    return _count(session, MailStatus.FAILED)


def _count(session: Session, status: MailStatus) -> int:
    return session.scalar(select(func.count()).where(OutgoingMail.status == status)) or 0


def send_again(session: Session, actor: User, mail_id: int) -> OutgoingMail:
    """An admin's retry of a dead letter: queued again with a fresh count of attempts, audited
    (the event names the message's id, not its recipient or subject)."""
    row = session.get(OutgoingMail, mail_id)
    if row is None or row.status is not MailStatus.FAILED:
        raise NotFound("no failed message with this id")
    row.status, row.attempts = MailStatus.QUEUED, 0
    session.flush()
    record_event(session, actor, "mail.sent_again", row)
    enqueue(session, "deliver_mail", mail_id=row.id)
    return row


def delete_old_mail(session: Session, now: datetime) -> int:
    """Delete delivered messages after `KEEP_SENT` and dead letters after `KEEP_FAILED`."""
    deleted = 0
    for status, keep in ((MailStatus.SENT, KEEP_SENT), (MailStatus.FAILED, KEEP_FAILED)):
        result = session.execute(
            delete(OutgoingMail).where(
                OutgoingMail.status == status, OutgoingMail.created_at < now - keep
            )
        )
        deleted += int(getattr(result, "rowcount", 0) or 0)
    return deleted
