"""The history tab shows the organisation's own audit events, in plain words, newest first."""

from __future__ import annotations

from compliance.services.audit import record_event
from tests.support.web import login, post_form, text_of


def test_history_lists_own_changes_newest_first_and_nothing_of_others(client, factory):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    org, other = factory.org(), factory.org(name="PT Lain Sekali")
    with factory.session() as session:
        record_event(
            session, None, "establishment.added", ("Establishment", 1), organization_id=other.id
        )
    login(client, org.hr_email)
    post_form(client, "/organization/team", {"email": "rekan@example.com"})
    post_form(
        client,
        "/account/password",
        {
            "current_password": "correct horse battery staple",
            "password": "kata sandi yang baru",
            "password_confirm": "kata sandi yang baru",
        },
    )
    page = text_of(client.get("/organization/history"))
    assert page.index("Password changed") < page.index("Colleague invited")
    assert "Establishment added" not in page  # the other organisation's event


def test_history_pages_through_many_events(client, factory):
    org = factory.org()
    with factory.session() as session:
        for n in range(55):
            record_event(session, None, "test.event", ("Thing", n), organization_id=org.id)
    login(client, org.hr_email)
    first = text_of(client.get("/organization/history"))
    assert "Thing #54" in first
    assert "Thing #4<" not in first
    second = text_of(client.get("/organization/history?page=2"))
    assert "Thing #4<" in second
    assert "Thing #54" not in second
