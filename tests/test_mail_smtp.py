"""With MAIL_BACKEND=smtp, messages go over real SMTP (an aiosmtpd sink on loopback)."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tests.support.mail import read_mail
from tests.support.web import login, post_form


class _Sink(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def _text(message) -> str:
    """The text part (messages are multipart/alternative: text, then HTML), decoded."""
    return read_mail(message.as_bytes()).text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture
def config(config, smtp_sink):
    _, port = smtp_sink
    return replace(config, mail_backend="smtp", mail_server="127.0.0.1", mail_port=port)


def test_password_reset_mail_is_delivered_over_smtp(client, factory, smtp_sink, outbox):
    sink, _ = smtp_sink
    org = factory.org()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    post_form(client, "/password/forgot", {"email": org.hr_email})
    (message,) = sink.messages
    assert message["To"] == org.hr_email
    assert message["Subject"] == "Reset your Kuota Inklusi password"
    assert "/password/reset/" in _text(message)
    assert not outbox.exists()


def test_invitation_mails_go_over_smtp_and_a_taken_address_gets_no_link(client, factory, smtp_sink):
    sink, _ = smtp_sink
    org, other = factory.org(), factory.org()
    login(client, org.hr_email)
    assert post_form(client, "/organization/team", {"email": other.hr_email}).status_code == 302
    post_form(client, "/organization/team", {"email": "kolega@example.com"})
    assert [m["To"] for m in sink.messages] == [other.hr_email, "kolega@example.com"]
    notice, invitation = (_text(m) for m in sink.messages)
    assert "/invitations/" not in notice
    assert "/invitations/" in invitation
