"""Personal access tokens: made and revoked on the account page, shown once, stored hashed,
and the only way into the API (a session cookie never is)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from compliance.clock import now
from compliance.models import AuditEvent, Role
from compliance.models.api import ApiToken
from tests.support.api import call, make_token, problem
from tests.support.web import login, post_form, text_of


def _secret_on(page: str) -> str:
    found = re.search(r'id="new-token">(kin_[A-Za-z0-9_-]+)<', page)
    assert found, "the new token is not on the page"
    return found.group(1)


def test_a_token_is_shown_once_stored_hashed_and_works(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    page = text_of(
        post_form(client, "/account/tokens", {"name": "Payroll sync", "lifetime_days": "90"})
    )
    secret = _secret_on(page)
    assert "hanya ditampilkan sekali ini" in page  # Indonesian first

    again = text_of(client.get("/account/tokens"))
    assert secret not in again
    assert "Payroll sync" in again
    assert secret[:12] in again  # the prefix says which one
    with factory.session() as session:
        token = session.scalars(select(ApiToken)).one()
        assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (token.prefix, token.name, token.secret_hash)
        assert not token.can_write  # read only unless asked

    me = call(client, "GET", "/me", secret)
    assert me.status_code == 200
    assert me.get_json()["token_scopes"] == ["read"]
    assert me.get_json()["organization_id"] == org.id


def test_a_revoked_token_stops_at_once_and_the_trail_says_so(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    secret = _secret_on(
        text_of(post_form(client, "/account/tokens", {"name": "HRIS", "lifetime_days": "30"}))
    )
    with factory.session() as session:
        token_id = session.scalars(select(ApiToken.id)).one()
    post_form(client, f"/account/tokens/{token_id}/revoke", {})
    body = problem(call(client, "GET", "/me", secret), 401)
    assert "revoked" in body["detail"]
    with factory.session() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["api_token.created", "api_token.revoked"]


def test_an_expired_token_is_refused(client, factory):
    org = factory.org()
    secret = make_token(factory, org.hr_email)
    assert call(client, "GET", "/me", secret).status_code == 200
    with time_machine.travel(now() + timedelta(days=91), tick=False):
        problem(call(client, "GET", "/me", secret), 401)


def test_a_logged_in_browser_cannot_use_the_api_with_its_cookie(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    assert client.get("/organization").status_code == 200  # the cookie works for pages
    body = problem(call(client, "GET", "/organization"), 401)
    assert "Bearer" in body["detail"]
    assert call(client, "GET", "/organization").headers["WWW-Authenticate"].startswith("Bearer")


def test_garbage_and_foreign_schemes_are_refused_alike(client, factory):
    for header in ("Bearer", "Bearer kin_nothing", "Basic a2luOng=", "Bearer " + "x" * 5000):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        problem(response, 401)


def test_a_read_only_token_cannot_write_and_nothing_changes(client, factory):
    org = factory.org()
    secret = make_token(factory, org.hr_email, can_write=False)
    body = problem(
        call(
            client, "POST", "/establishments", secret, json={"name": "X", "regency_code": "32.73"}
        ),
        403,
    )
    assert "only read" in body["detail"]
    assert len(call(client, "GET", "/establishments", secret).get_json()["items"]) == 1


def test_a_token_of_another_role_is_refused_with_403(client, factory):
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    secret = make_token(factory, inspector.email)
    assert call(client, "GET", "/me", secret).get_json()["role"] == "inspector"
    body = problem(call(client, "GET", "/organization", secret), 403)
    assert "role" in body["detail"]


def test_a_deactivated_owner_takes_the_token_along(client, factory):
    org = factory.org()
    secret = make_token(factory, org.hr_email)
    with factory.session() as session:
        token = session.scalars(select(ApiToken)).one()
        token.user.is_active = False
    problem(call(client, "GET", "/me", secret), 401)


def test_the_token_form_ties_its_errors_to_the_fields(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    response = post_form(client, "/account/tokens", {"name": "", "lifetime_days": "90"})
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="name-error"' in page
    with factory.session() as session:
        assert session.scalars(select(ApiToken)).first() is None
