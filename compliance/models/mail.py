"""Outgoing e-mail, kept until it is delivered: the queue's messages and their dead letters.

A message is built in full (MIME, with its Message-ID and attachments) inside the transaction
that causes it, and stored here with that transaction: a rolled-back change leaves no message,
a committed one always has its message, even if the process dies before sending. The
`deliver_mail` task sends it, and retries with back-off while the mail server refuses; after
`services.outbox.MAX_ATTEMPTS` the message is `failed`, shown to admins, who can send it again.

The message, recipient and subject are personal data (names, what happened to whom), so they
are encrypted like the roster; delivered messages are deleted after a week (`mail_retention`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import enum_column
from compliance.models.types import EncryptedText


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    #: Given up after every attempt: a dead letter, listed for admins.
    FAILED = "failed"


class OutgoingMail(CreatedAtMixin, Base):
    """Platform data (not one tenant's): only the delivery task and admins read it."""

    __tablename__ = "outgoing_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, "mail_status"), default=MailStatus.QUEUED, index=True
    )
    recipient: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    subject: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: The whole MIME message as one data-key token; deferred, so listing never loads it.
    message: Mapped[str] = mapped_column(Text, nullable=False, deferred=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: The mail server's last answer, in its words (no message content).
    last_error: Mapped[str | None] = mapped_column(String(300))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
