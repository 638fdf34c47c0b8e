"""The request boundary: a view that returns commits once, a view that raises stores nothing,
and every refusal has its page (STYLE.md, "one request boundary").

The behaviour is tried on routes added to a fresh app built from the test's configuration (the
shared app cannot take new routes once it has served a request); their writes are really
committed, so these tests are marked `commits` and the tables are emptied afterwards.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from compliance import create_app
from compliance.access import public
from compliance.blueprints.forms import service_call
from compliance.extensions import db
from compliance.integrations.mail import Mail
from compliance.models.accounts import RateLimitHit, Role, User
from compliance.services import NotFound, ServiceError
from compliance.services.outbox import queue_mail
from tests.support.mail import sent_mails
from tests.support.web import login, text_of

BLUEPRINTS = Path(__file__).resolve().parents[2] / "compliance" / "blueprints"
#: Command-line modules are their own boundary: each command commits what it did.
COMMANDS = {"cli.py"}


def test_no_view_commits_or_hand_writes_a_transaction() -> None:
    offenders = []
    for path in sorted(BLUEPRINTS.rglob("*.py")):
        if path.name in COMMANDS:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                offenders.append(f"{path.relative_to(BLUEPRINTS)}:{node.lineno}")
    assert not offenders, f"views commit by themselves: {offenders}"


def _hit(key: str) -> None:
    db.session.add(RateLimitHit(scope="boundary-test", key=key))


def _hits() -> list[str]:
    return sorted(
        db.session.scalars(select(RateLimitHit.key).where(RateLimitHit.scope == "boundary-test"))
    )


@pytest.fixture
def probe(app: Flask) -> Iterator[Flask]:
    fresh = create_app(app.extensions["kuota_config"])
    fresh.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a bug is a 500 page

    @fresh.get("/t/returns")
    @public
    def returns() -> str:
        _hit("returned")
        queue_mail(db.session(), Mail("hr@contoh.example.com", "Returned", "The view returned."))
        return "ok"

    @fresh.get("/t/raises")
    @public
    def raises() -> str:
        _hit("raised")
        queue_mail(db.session(), Mail("hr@contoh.example.com", "Raised", "The view raised."))
        raise RuntimeError("a bug after a write")

    @fresh.get("/t/refused")
    @public
    def refused() -> str:
        _hit("refused")
        raise ServiceError("Nothing to close: the establishment is closed already.")

    @fresh.get("/t/not-found-in-a-form-call")
    @public
    def not_found() -> str:
        with service_call():
            raise NotFound("gone")
        return "shown as a form error"

    @fresh.get("/t/lost-race/<email>")
    @public
    def lost_race(email: str) -> str:
        # Another request registered this address since this one looked: the commit fails.
        db.session.add(User(email=email, name="Dua", password_hash="x", role=Role.ADMIN))
        return "ok"

    @fresh.get("/t/database-down")
    @public
    def database_down() -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    yield fresh
    with fresh.app_context():
        db.engine.dispose()  # its own pool: closed now, not whenever it is collected


pytestmark = pytest.mark.commits


def test_a_view_that_returns_commits_once_then_runs_what_waits_for_the_commit(probe, outbox):
    assert probe.test_client().get("/t/returns").status_code == 200
    with probe.app_context():
        assert _hits() == ["returned"]
    assert [mail.subject for mail in sent_mails(outbox)] == ["Returned"], "its task ran"


def test_a_view_that_raises_after_writing_stores_nothing(probe, outbox):
    response = probe.test_client().get("/t/raises", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong" in text_of(response)
    with probe.app_context():
        assert _hits() == []
    assert sent_mails(outbox) == [], "no task for a change rolled back"


def test_a_refusal_no_form_shows_is_a_page_with_its_sentence(probe):
    response = probe.test_client().get("/t/refused", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    page = text_of(response)
    assert "This could not be done" in page
    assert "Nothing to close: the establishment is closed already." in page
    with probe.app_context():
        assert _hits() == []


def test_not_found_is_a_404_even_inside_a_form_call(probe):
    response = probe.test_client().get("/t/not-found-in-a-form-call")
    assert response.status_code == 404


def test_a_commit_that_loses_a_race_answers_409_in_plain_words(probe, factory):
    org = factory.org()
    response = probe.test_client().get(
        f"/t/lost-race/{org.hr_email}", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 409
    assert "Someone else changed the same record at the same moment" in text_of(response)
    with factory.session() as session:
        assert session.scalar(select(func.count(User.id)).where(User.name == "Dua")) == 0


def test_a_database_error_is_a_page_in_the_users_language(probe, factory):
    """The database unreachable: a logged-in HR manager gets a kind page that reads nothing
    from the database (the billing banner once raised inside the error handler), 503 with
    Retry-After, never a traceback."""
    org = factory.org()
    client = probe.test_client()
    login(client, org.hr_email)
    response = client.get("/t/database-down", headers={"Accept-Language": "id"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = text_of(response)
    assert "Sementara tidak tersedia" in page
    assert "tidak tersimpan" in page
    assert "Internal Server Error" not in page
    assert "Traceback" not in page
    assert 'href="/t/database-down"' in page, "the button tries the same page again"
