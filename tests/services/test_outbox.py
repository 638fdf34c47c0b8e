"""The outbox: an e-mail is stored with the change that causes it and delivered by a task that
tries again, with back-off, while the mail server refuses; then an admin sees it and sends it
again (issue 18: retries, dead letters)."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text

from compliance.clock import utcnow
from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import job_named
from compliance.jobs.tasks import deliver_mail
from compliance.models import AuditEvent, Role
from compliance.models.mail import MailStatus, OutgoingMail
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import emails, outbox
from tests.support.web import login, post_form, text_of


class RefusingSink:
    """An SMTP server on loopback that answers "451 try again later" to the first `refuse`
    messages and keeps the ones it accepts."""

    def __init__(self, refuse: int) -> None:
        self.refuse = refuse
        self.refused = 0
        self.accepted: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.accepted.append(envelope.original_content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sink(request):
    handler = RefusingSink(refuse=getattr(request, "param", 0))
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def config(config, sink):
    _, port = sink
    return replace(config, mail_backend="smtp", mail_server="127.0.0.1", mail_port=port)


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _ask_for_a_reset(client, factory) -> str:
    org = factory.org()
    post_form(client, "/password/forgot", {"email": org.hr_email})
    return org.hr_email


def _mails(app) -> list[OutgoingMail]:
    with app.app_context():
        mails = list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))
        db.session.expunge_all()
        return mails


def _retry_job(app, seconds_later: float) -> None:
    with app.app_context():
        job = job_named("mail_retries")
        run_job(db.session(), job.name, job.function, utcnow() + timedelta(seconds=seconds_later))


def test_a_message_is_kept_encrypted_and_delivered_once(app, client, factory, sink):
    handler, _ = sink
    address = _ask_for_a_reset(client, factory)
    (mail,) = _mails(app)
    assert (mail.status, mail.attempts, mail.recipient) == (MailStatus.SENT, 1, address)
    assert mail.sent_at is not None
    assert len(handler.accepted) == 1
    with app.app_context():
        stored = db.session.execute(
            text("SELECT recipient, subject, message FROM outgoing_mails")
        ).one()
        assert address not in "".join(stored), "recipient, subject and message are encrypted"
        deliver_mail(mail.id)  # the task run a second time (a retried job) sends nothing
        db.session.commit()
    assert len(handler.accepted) == 1


def test_a_change_rolled_back_sends_nothing(app, factory, sink):
    handler, _ = sink
    org = factory.org()
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        recipient = emails.for_address(org.hr_email, "en")
        emails.send(
            db.session(), "password_reset", [recipient], action_url="https://x.test/r", minutes=30
        )
        assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 1
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0
    assert handler.accepted == []


@pytest.mark.parametrize("sink", [2], indirect=True)
def test_a_server_that_refuses_twice_gets_the_message_once_after_the_back_off(
    app, client, factory, sink
):
    handler, _ = sink
    _ask_for_a_reset(client, factory)
    (mail,) = _mails(app)
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
    assert mail.last_error == "451 4.3.0 Try again later"

    _retry_job(app, seconds_later=3)  # the first back-off is 5 seconds: not yet
    assert _mails(app)[0].attempts == 1
    _retry_job(app, seconds_later=6)
    assert _mails(app)[0].attempts == 2, "second attempt, refused again"
    _retry_job(app, seconds_later=6 + 20)  # the second back-off is 25 seconds: not yet
    assert _mails(app)[0].attempts == 2
    _retry_job(app, seconds_later=6 + 26)
    (mail,) = _mails(app)
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 3, None)
    assert len(handler.accepted) == 1
    _retry_job(app, seconds_later=3600)
    assert len(handler.accepted) == 1, "delivered once"


@pytest.mark.parametrize("sink", [99], indirect=True)
def test_a_message_refused_at_every_attempt_is_shown_to_admins_who_send_it_again(
    app, client, factory, sink
):
    handler, _ = sink
    address = _ask_for_a_reset(client, factory)
    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        _retry_job(app, seconds_later=outbox.RETRY_SECONDS**attempt)
        assert _mails(app)[0].attempts == attempt
    (mail,) = _mails(app)
    assert mail.status is MailStatus.FAILED
    _retry_job(app, seconds_later=10**6)
    assert _mails(app)[0].attempts == outbox.MAX_ATTEMPTS, "a dead letter is not retried"

    admin = factory.user(Role.ADMIN)
    login(client, admin.email)
    home = text_of(client.get("/", follow_redirects=True))
    assert "1 e-mail could not be delivered after every attempt" in home
    page = text_of(client.get("/admin/mail"))
    assert address in page
    assert "Reset your Kuota Inklusi password" in page
    assert "451 4.3.0 Try again later" in page

    handler.refuse = 0  # the mail server is fixed
    response = post_form(client, f"/admin/mail/{mail.id}/send-again", {}, token_from="/admin/mail")
    assert response.status_code == 302
    assert len(handler.accepted) == 1
    (mail,) = _mails(app)
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)
    assert "Every e-mail was delivered." in text_of(client.get("/admin/mail"))
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.sent_again"))
        assert event is not None
        assert event.actor_id == admin.id
        assert address not in str(event.data), "the audit event names no recipient"


def test_send_again_is_for_admins_and_failed_messages_only(app, client, factory, sink):
    _ask_for_a_reset(client, factory)
    (mail,) = _mails(app)
    org = factory.org()
    login(client, org.hr_email)
    assert client.get("/admin/mail").status_code == 404, "not an HR manager's page"
    admin = factory.user(Role.ADMIN)
    client.get("/logout")
    login(client, admin.email)
    response = post_form(client, f"/admin/mail/{mail.id}/send-again", {}, token_from="/admin/mail")
    assert response.status_code == 404, "a delivered message is not sent again"
    assert client.post("/admin/mail/2147483647/send-again").status_code in {400, 404}
