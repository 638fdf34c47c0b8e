"""An HR manager invites a colleague by e-mail link; the colleague joins the organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from compliance.clock import utcnow
from compliance.models import Invitation, User
from tests.support.mail import sent_mails
from tests.support.web import csrf_token, login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _invitation_path(outbox) -> str:
    (mail,) = sent_mails(outbox)
    body = mail.text
    return re.search(r"https?://[^\s]+(/invitations/[^\s]+)", body).group(1)


def _invite(client, factory, email="kolega@example.com"):
    org = factory.org(name="PT Tim Inklusi")
    login(client, org.hr_email)
    response = post_form(client, "/organization/team", {"email": email})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})
    return org


def test_invited_colleague_joins_the_same_organisation(client, factory, outbox):
    org = _invite(client, factory)
    path = _invitation_path(outbox)
    page = text_of(client.get(path))
    assert "PT Tim Inklusi" in page
    response = post_form(
        client,
        path,
        {
            "name": "Budi Santoso",
            "password": "rahasia tim inklusi",
            "password_confirm": "rahasia tim inklusi",
        },
    )
    assert response.status_code == 302
    assert "PT Tim Inklusi" in text_of(client.get("/organization"))
    with factory.session() as session:
        budi = session.scalar(select(User).where(User.email == "kolega@example.com"))
        assert (budi.organization_id, budi.role.value) == (org.id, "hr_manager")
    # The link works once.
    again = client.get(path)
    assert again.status_code == 404
    assert "already been accepted" in text_of(again)


def test_team_page_lists_members_and_pending_invitations(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    post_form(client, "/organization/team", {"email": "baru@example.com"})
    page = text_of(client.get("/organization/team"))
    assert org.hr_email in page
    assert "baru@example.com" in page


def test_inviting_an_existing_account_does_not_reveal_it(client, factory, outbox):
    """Attack: a signed-up stranger invites addresses to learn who has an account. The page
    answers as for anyone; the owner is told by mail, with no link that could work."""
    org = factory.org()
    other = factory.org()
    login(client, org.hr_email)
    taken = post_form(client, "/organization/team", {"email": other.hr_email})
    fresh = post_form(client, "/organization/team", {"email": "baru@example.com"})
    assert taken.status_code == fresh.status_code == 302
    page = text_of(client.get("/organization/team"))
    assert other.hr_email in page
    assert "already" not in page
    mails = {m.to: m.text for m in sent_mails(outbox)}
    assert "/invitations/" in mails["baru@example.com"]
    assert "/invitations/" not in mails[other.hr_email]
    assert "already has an account" in mails[other.hr_email]


def test_withdrawn_invitation_cannot_be_used(client, factory, outbox):
    org = factory.org()
    login(client, org.hr_email)
    post_form(client, "/organization/team", {"email": "batal@example.com"})
    with factory.session() as session:
        invitation_id = session.scalar(select(Invitation.id))
    response = post_form(
        client,
        f"/organization/team/invitations/{invitation_id}/revoke",
        {},
        token_from="/organization/team",
    )
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})
    response = client.get(_invitation_path(outbox))
    assert response.status_code == 404
    assert "expired or was withdrawn" in text_of(response)


def test_expired_invitation_cannot_be_used(client, factory, outbox):
    _invite(client, factory)
    with factory.session() as session:
        session.scalar(select(Invitation)).expires_at = utcnow() - timedelta(minutes=1)
    response = client.get(_invitation_path(outbox))
    assert response.status_code == 404
    assert "expired or was withdrawn" in text_of(response)
