"""Outgoing e-mail: written to `instance/outbox/` by default, sent over SMTP when configured.

This edge builds a message (`Mailer.build`) and hands built bytes to the server
(`Mailer.deliver`); keeping a message until it is delivered, and trying again, is the outbox's
work (`services.outbox`, `models.mail`), so a failed sign-up never e-mails anybody, and a mail
server that refuses for a while delays a message without losing it.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from prometheus_client import Counter

from compliance.config import Config

log = logging.getLogger(__name__)
#: Exported at /metrics (`compliance.metrics`).
MAIL_FAILURES = Counter(
    "kuota_mail_failures", "Delivery attempts the mail server refused or could not take."
)


class MailNotDelivered(Exception):
    """The server refused the message or could not be reached; `reason` is its answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    def send(self, data: bytes) -> None:
        """Hand over a message built earlier (`bytes(Mailer.build(...))`), as it was built."""


class OutboxBackend:
    """Development default: one `.eml` file per message, and a log line saying where.

    The file is the stored bytes themselves: only the headers are read (for its name), since
    parsing and writing out again every message cost more than building it (a reminder job
    on 2 January writes one per organisation)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, data: bytes) -> None:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(data)
        self.directory.mkdir(parents=True, exist_ok=True)
        name = str(headers["Message-ID"]).strip("<>").replace("@", "_at_") + ".eml"
        path = self.directory / name
        path.write_bytes(data)
        log.info("mail written to outbox", extra={"to": str(headers["To"]), "path": str(path)})


class SmtpBackend:
    def __init__(self, config: Config) -> None:
        self.config = config

    def send(self, data: bytes) -> None:
        message = message_from_bytes(data, _class=EmailMessage, policy=policy.default)
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

    def deliver(self, data: bytes) -> None:
        """Hand a message built earlier (`bytes(build(...))`) to the server, as it was built:
        the same Message-ID on every attempt, so a reader's mail program shows it once."""
        try:
            self.backend.send(data)
        except (OSError, smtplib.SMTPException) as error:
            MAIL_FAILURES.inc()
            raise MailNotDelivered(_reason(error)) from error


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{error.smtp_code} {text}"[:300]
    return f"{type(error).__name__}: {error}"[:300]
