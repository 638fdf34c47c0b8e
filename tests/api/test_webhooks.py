"""Webhook endpoints through the API: an HR system (or a ULD's registry) registers its own
receiver, gets the secret once, sends itself a test event and deletes the endpoint; the same
rules as the pages (https on the internet, the owner's events only, the plan's limit)."""

from __future__ import annotations

import time

from compliance.models import Role
from compliance.services.webhooks import signing
from tests.registry.support import make_officer, make_uld
from tests.support.api import call, field_errors, make_token, problem
from tests.support.webhooks import running_receiver


def test_register_test_list_and_delete(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    with running_receiver() as receiver:
        body = {
            "url": receiver.url(),
            "description": "SAP HR",
            "event_types": ["declaration.submitted", "import.finished"],
        }
        created = call(client, "POST", "/webhooks", token, json=body)
        assert created.status_code == 201, created.get_data(as_text=True)
        made = created.get_json()
        assert made["secret"].startswith("whsec_")
        assert created.headers["Location"] == f"/api/v1/webhooks/{made['id']}"
        listed = call(client, "GET", "/webhooks", token).get_json()["items"]
        assert [e["id"] for e in listed] == [made["id"]]
        assert "secret" not in listed[0], "shown once"
        assert listed[0]["secret_prefix"] == made["secret"][:10]

        sent = call(client, "POST", f"/webhooks/{made['id']}/test", token)
        assert sent.status_code == 202
        (received,) = receiver.received
        assert received.json["type"] == "webhook.test"
        assert received.headers["Kuota-Event-Id"] == sent.get_json()["event_id"]
        header = received.headers[signing.SIGNATURE_HEADER]
        assert signing.verify(made["secret"], header, received.body, int(time.time()))

        assert call(client, "DELETE", f"/webhooks/{made['id']}", token).status_code == 204
        assert call(client, "GET", "/webhooks", token).get_json()["items"] == []
        problem(call(client, "DELETE", f"/webhooks/{made['id']}", token), 404)


def test_bad_endpoints_are_refused_field_by_field(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    base = {"url": "https://10.0.0.1/in", "description": "x", "event_types": ["case.opened"]}
    errors = field_errors(call(client, "POST", "/webhooks", token, json=base))
    assert "private or local networks" in errors["url"]
    unknown = {**base, "url": "http://127.0.0.1:9/in", "event_types": ["everything"]}
    assert "event_types" in str(
        field_errors(call(client, "POST", "/webhooks", token, json=unknown))
    )
    uld_only = {
        **base,
        "url": "http://127.0.0.1:9/in",
        "event_types": ["referral_request.received"],
    }
    errors = field_errors(call(client, "POST", "/webhooks", token, json=uld_only))
    assert errors["event_types"] == "Choose events from the list."
    reader = make_token(factory, org.hr_email, can_write=False, name="reader")
    problem(call(client, "POST", "/webhooks", reader, json=base), 403)


def test_a_ulds_officer_has_the_ulds_endpoints_and_inspectors_none(client, factory):
    uld_id = make_uld(factory, "35", "35.78")
    officer = make_officer(factory, ("35.78",), uld_id)
    token = make_token(factory, officer.email)
    body = {
        "url": "http://127.0.0.1:9/in",
        "description": "SIAPkerja",
        "event_types": ["referral_request.received"],
    }
    assert call(client, "POST", "/webhooks", token, json=body).status_code == 201
    colleague = make_officer(factory, ("35.78",), uld_id)
    listed = call(client, "GET", "/webhooks", make_token(factory, colleague.email)).get_json()
    assert [e["description"] for e in listed["items"]] == ["SIAPkerja"]
    org = factory.org()
    assert call(client, "GET", "/webhooks", make_token(factory, org.hr_email)).get_json() == {
        "items": []
    }, "another owner's endpoints are not listed"
    inspector = factory.user(Role.INSPECTOR, provinces=("35",))
    problem(call(client, "GET", "/webhooks", make_token(factory, inspector.email)), 403)
