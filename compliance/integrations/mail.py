"""Outgoing e-mail: written to `instance/outbox/` by default, sent over SMTP when configured.

Services call `send_after_commit`: the message leaves only if the transaction that caused it
commits, so a failed sign-up never e-mails anybody and a retried job never e-mails twice.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from flask import current_app
from prometheus_client import Counter
from sqlalchemy import event
from sqlalchemy.orm import Session

from compliance.config import Config

log = logging.getLogger(__name__)
#: Exported at /metrics (`compliance.metrics`).
MAIL_FAILURES = Counter("kuota_mail_failures", "Messages that could not be handed to the server.")
_PENDING_KEY = "outgoing_mail"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message, such as the nota pemeriksaan a case step issued."""

    filename: str
    content: bytes
    mimetype: str = "application/pdf"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    #: The plain-text part, first: what a text-only reader (or a screen reader on one) gets.
    body: str
    #: The HTML alternative, when there is one (`compliance.services.emails` renders both).
    html: str = ""
    #: The language the message is written in ("id", "en"), sent as Content-Language.
    language: str = ""
    attachments: tuple[Attachment, ...] = ()


class MailBackend(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class OutboxBackend:
    """Development default: one `.eml` file per message, and a log line saying where."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_at_") + ".eml"
        path = self.directory / name
        path.write_bytes(bytes(message))
        log.info("mail written to outbox", extra={"to": message["To"], "path": str(path)})


class SmtpBackend:
    def __init__(self, config: Config) -> None:
        self.config = config

    def send(self, message: EmailMessage) -> None:
        c = self.config
        with smtplib.SMTP(c.mail_server, c.mail_port, timeout=30) as smtp:
            if c.mail_use_tls:
                smtp.starttls()
            if c.mail_username:
                smtp.login(c.mail_username, c.mail_password)
            smtp.send_message(message)


class Mailer:
    def __init__(self, config: Config) -> None:
        self.sender = config.mail_sender
        self.backend: MailBackend = (
            SmtpBackend(config)
            if config.mail_backend == "smtp"
            else OutboxBackend(config.instance_path / "outbox")
        )

    def build(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain="kuota-inklusi.local")
        message.set_content(mail.body)
        if mail.html:
            message.add_alternative(mail.html, subtype="html")  # multipart/alternative, text first
        for attachment in mail.attachments:  # multipart/mixed: the text, then each file
            maintype, subtype = attachment.mimetype.split("/", 1)
            message.add_attachment(
                attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        if mail.language:
            # Last: making the message multipart moves its Content-* headers down a level.
            message["Content-Language"] = mail.language
        return message

    def send(self, mail: Mail) -> None:
        self.backend.send(self.build(mail))


def send_after_commit(session: Session, mail: Mail) -> None:
    """Queue `mail` on the session; it is delivered when the session commits."""
    mailer = current_app.extensions["kuota_mailer"]
    session.info.setdefault(_PENDING_KEY, []).append((mailer, mail))


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    for mailer, mail in session.info.pop(_PENDING_KEY, []):
        try:
            mailer.send(mail)
        except (OSError, smtplib.SMTPException):
            # The change is committed; a lost message is logged loudly rather than undoing it.
            MAIL_FAILURES.inc()
            log.exception("could not send mail", extra={"to": mail.to, "subject": mail.subject})


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
