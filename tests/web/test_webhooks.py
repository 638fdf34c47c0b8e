"""The webhook pages: an HR manager (or a ULD's officer) adds an endpoint and sees its secret
once, sends a test event to a real receiver on loopback, reads the delivery log a page at a
time, sends a dead event again, disables and deletes the endpoint."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from compliance.models import AuditEvent, Role
from compliance.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from compliance.services.webhooks import delivery, signing
from tests.registry.support import make_officer, make_uld
from tests.support.web import csrf_token, login, post_form, text_of, visible_text
from tests.support.webhooks import running_receiver


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def receiver():
    with running_receiver() as found:
        yield found


def _add(client, url: str, events=("declaration.submitted", "case.opened")):
    return post_form(
        client,
        "/webhooks/new",
        {"description": "SAP HR", "url": url, "event_types": list(events)},
    )


def _endpoint_id(factory) -> int:
    with factory.session() as session:
        return session.scalar(select(WebhookEndpoint.id).order_by(WebhookEndpoint.id.desc()))


def test_an_hr_manager_adds_an_endpoint_and_sees_its_secret_once(app, client, factory, receiver):
    org = factory.org()
    login(client, org.hr_email)
    assert "/webhooks" in text_of(client.get("/dashboard"))  # in the menu
    page = text_of(client.get("/webhooks/new"))
    assert "A ULD sent candidates" in page
    assert 'value="referral_request.received"' not in page
    response = _add(client, receiver.url())
    assert response.status_code == 200
    body = text_of(response)
    secret = re.search(r'id="new-secret">(whsec_[^<]+)<', body).group(1)
    endpoint_id = _endpoint_id(factory)

    again = text_of(client.get(f"/webhooks/{endpoint_id}"))
    assert secret not in again, "shown once"
    assert secret[:10] in again, "its beginning identifies it"
    listing = visible_text(text_of(client.get("/webhooks")))
    assert "SAP HR" in listing
    assert receiver.url() in listing

    response = post_form(client, f"/webhooks/{endpoint_id}/test", {}, token_from="/webhooks")
    assert response.status_code == 302
    (received,) = receiver.received
    assert received.json["type"] == "webhook.test"
    header = received.headers[signing.SIGNATURE_HEADER]
    assert signing.verify(secret, header, received.body, int(time.time()))
    log = visible_text(text_of(client.get(f"/webhooks/{endpoint_id}")))
    assert "Test event" in log
    assert "delivered" in log
    assert "HTTP 200" in log


@pytest.mark.parametrize(
    "url", ["http://hooks.example.com/in", "https://10.0.0.1/in", "https://169.254.169.254/"]
)
def test_a_private_or_plain_http_address_is_refused_on_the_form(app, client, factory, url):
    org = factory.org()
    login(client, org.hr_email)
    response = _add(client, url)
    assert response.status_code == 422
    assert "Addresses on private or local networks are refused" in text_of(response)
    with factory.session() as session:
        assert session.scalar(select(WebhookEndpoint.id)) is None


def test_no_event_chosen_is_an_error_on_its_field(app, client, factory, receiver):
    org = factory.org()
    login(client, org.hr_email)
    response = _add(client, receiver.url(), events=())
    assert response.status_code == 422
    assert "Choose at least one event." in text_of(response)


def test_change_disable_and_delete(app, client, factory, receiver):
    org = factory.org()
    login(client, org.hr_email)
    _add(client, receiver.url())
    endpoint_id = _endpoint_id(factory)
    path = f"/webhooks/{endpoint_id}"
    response = post_form(
        client,
        path,
        {"description": "Payroll", "url": receiver.url("/v2"), "event_types": ["case.opened"]},
    )
    assert response.status_code == 302
    response = post_form(client, f"{path}/active", {"active": "0"}, token_from=path)
    assert response.status_code == 302
    with factory.session() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        assert (endpoint.description, endpoint.url, endpoint.event_types, endpoint.is_active) == (
            "Payroll",
            receiver.url("/v2"),
            ["case.opened"],
            False,
        )
    asked = post_form(client, f"{path}/delete", {}, token_from=path)
    assert asked.status_code == 200, "a confirmation step first"
    assert "Yes, delete the endpoint" in text_of(asked)
    with factory.session() as session:
        assert session.get(WebhookEndpoint, endpoint_id) is not None
    done = post_form(client, f"{path}/delete", {"confirmed": "yes"}, token_from=path)
    assert done.status_code == 302
    with factory.session() as session:
        assert session.get(WebhookEndpoint, endpoint_id) is None
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("webhook.%"))
            .order_by(AuditEvent.id)
        ).all()
        assert actions == ["webhook.created", "webhook.updated", "webhook.disabled",
                           "webhook.deleted"]  # fmt: skip
    history = visible_text(text_of(client.get("/organization/history")))
    assert "disabled the webhook endpoint “Payroll”" in history


def test_a_dead_event_is_sent_again_from_the_log(app, client, factory):
    org = factory.org()
    login(client, org.hr_email)
    with running_receiver(refuse=99) as receiver:
        _add(client, receiver.url())
        endpoint_id = _endpoint_id(factory)
        path = f"/webhooks/{endpoint_id}"
        post_form(client, f"{path}/test", {}, token_from=path)
        with factory.session() as session:
            row = session.scalar(select(WebhookDelivery))
            row.status, row.attempts = DeliveryStatus.DEAD, delivery.MAX_ATTEMPTS
            delivery_id = row.id
        log = visible_text(text_of(client.get(path)))
        assert "not delivered" in log
        assert "HTTP 503" in log
        receiver.refuse = 0
        response = post_form(
            client, f"{path}/deliveries/{delivery_id}/send-again", {}, token_from=path
        )
        assert response.status_code == 302
        assert [r.json["type"] for r in receiver.received] == ["webhook.test"]
        again = post_form(
            client, f"{path}/deliveries/{delivery_id}/send-again", {}, token_from=path
        )
        assert again.status_code == 302
        assert "Only an event that could not be delivered" in text_of(client.get(path))
        assert len(receiver.received) == 1


def test_the_log_is_paginated(app, client, factory, receiver):
    org = factory.org()
    login(client, org.hr_email)
    _add(client, receiver.url())
    endpoint_id = _endpoint_id(factory)
    path = f"/webhooks/{endpoint_id}"
    token = csrf_token(client, path)
    for _ in range(27):
        client.post(f"{path}/test", data={"csrf_token": token})
    first = text_of(client.get(path))
    assert first.count("Test event<br>") == 25
    second = text_of(client.get(f"{path}?page=2"))
    assert second.count("Test event<br>") == 2
    assert client.get(f"{path}?page=x").status_code == 404


def test_a_ulds_officer_manages_the_ulds_endpoints(app, client, factory, receiver):
    uld_id = make_uld(factory, "35", "35.78")
    officer = make_officer(factory, ("35.78",), uld_id)
    colleague = make_officer(factory, ("35.78",), uld_id)
    login(client, officer.email)
    page = text_of(client.get("/webhooks/new"))
    assert 'value="referral_request.received"' in page
    assert 'value="declaration.submitted"' not in page
    response = _add(client, receiver.url(), events=("referral_request.received",))
    assert response.status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/webhooks")})
    login(client, colleague.email)
    assert "SAP HR" in text_of(client.get("/webhooks")), "the ULD's, not the officer's"
    assert client.get(f"/webhooks/{_endpoint_id(factory)}").status_code == 200


def test_an_officer_without_a_uld_is_told_so(app, client, factory):
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("35.78",))
    login(client, officer.email)
    assert "not a member of a ULD" in text_of(client.get("/webhooks"))


def test_inspectors_have_no_webhooks(app, client, factory):
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    assert client.get("/webhooks").status_code == 404


def test_a_new_secret_replaces_the_old_one(app, client, factory, receiver):
    org = factory.org()
    login(client, org.hr_email)
    old = re.search(r'id="new-secret">(whsec_[^<]+)<', text_of(_add(client, receiver.url())))[1]
    endpoint_id = _endpoint_id(factory)
    path = f"/webhooks/{endpoint_id}"
    rolled = post_form(client, f"{path}/secret", {}, token_from=path)
    assert rolled.status_code == 200
    new = re.search(r'id="new-secret">(whsec_[^<]+)<', text_of(rolled))[1]
    assert new != old
    assert new not in text_of(client.get(path)), "shown once"
    post_form(client, f"{path}/test", {}, token_from=path)
    (received,) = receiver.received
    header = received.headers[signing.SIGNATURE_HEADER]
    assert signing.verify(new, header, received.body, int(time.time()))
    assert not signing.verify(old, header, received.body, int(time.time()))
    with factory.session() as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "webhook.secret_rolled")
        )
        assert new not in str(event.data)
        assert old not in str(event.data)
