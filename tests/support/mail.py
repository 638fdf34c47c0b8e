"""Reading the mail the app wrote to the outbox, as a mail client shows it: decoded headers,
the text part and the HTML part (both decoded from quoted-printable or base64)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path


@dataclass(frozen=True)
class SentMail:
    to: str
    subject: str
    language: str
    text: str
    html: str
    message: EmailMessage

    @property
    def body(self) -> EmailMessage:
        """The text and HTML alternatives: the message itself, or its first part when files
        are attached (multipart/mixed)."""
        if self.message.get_content_type() == "multipart/mixed":
            first = next(self.message.iter_parts())
            assert isinstance(first, EmailMessage)
            return first
        return self.message

    @property
    def parts(self) -> list[str]:
        """The content types of the alternatives, in order."""
        return [part.get_content_type() for part in self.body.iter_parts()]

    @property
    def attachments(self) -> dict[str, bytes]:
        """Attached files by name."""
        return {
            str(part.get_filename()): part.get_content() for part in self.message.iter_attachments()
        }


def read_mail(data: bytes) -> SentMail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    return SentMail(
        to=str(message["To"]),
        subject=str(message["Subject"]),
        language=str(message["Content-Language"] or ""),
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
        message=message,
    )


def sent_mails(outbox: Path) -> list[SentMail]:
    """Every message in the outbox, oldest first."""
    paths = sorted(outbox.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    return [read_mail(p.read_bytes()) for p in paths]
