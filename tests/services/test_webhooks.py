"""Outbound webhooks (issue 20, item 4): events made from the audit trail reach a real receiver
on loopback, signed, in order, retried with back-off while it refuses, then given up and sent
again; never to a private address, never to another owner's endpoint."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from compliance.clock import utcnow
from compliance.extensions import db
from compliance.integrations import webhooks as http
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import job_named
from compliance.models import AuditEvent, Role, User
from compliance.models.tenancy import Reach, reach_scope
from compliance.models.webhooks import DeliveryStatus, WebhookDelivery
from compliance.services import NotFound, ServiceError
from compliance.services.inspections.review import accept_declaration
from compliance.services.webhooks import delivery, endpoints, signing
from compliance.services.webhooks.endpoints import EndpointInput
from tests.support.declarations import fill_year, hr_of, submit_year
from tests.support.webhooks import running_receiver

ORG_EVENTS = ["declaration.submitted", "declaration.reviewed", "case.opened"]


@pytest.fixture
def receiver():
    with running_receiver() as found:
        yield found


def _add_endpoint(factory, organization_id: int, url: str, event_types=ORG_EVENTS):
    with factory.session() as session:
        hr = hr_of(session, organization_id)
        endpoint, secret = endpoints.create_endpoint(
            session, hr, EndpointInput(url, "SAP HR", list(event_types))
        )
        return endpoint.id, secret


def _deliveries(app) -> list[WebhookDelivery]:
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        found = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        for row in found:
            _ = row.payload
        db.session.expunge_all()
        return found


def _retry_job(app, seconds_later: float) -> None:
    with app.app_context():
        job = job_named("webhook_retries")
        run_job(db.session(), job.name, job.function, utcnow() + timedelta(seconds=seconds_later))


def _accept(factory, declaration_id: int) -> None:
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        accept_declaration(session, session.get(User, inspector.id), declaration_id)


def _submitted(factory, org) -> int:
    fill_year(factory, org.id, {org.establishment_ids[0]: 150})
    return submit_year(factory, org.id)


def _verified(received, secret: str) -> bool:
    header = received.headers[signing.SIGNATURE_HEADER]
    return signing.verify(secret, header, received.body, int(time.time()))


def test_events_reach_the_receiver_signed_minimal_and_in_order(app, factory, receiver):
    org = factory.org(name="PT Penerima Rahasia")
    endpoint_id, secret = _add_endpoint(factory, org.id, receiver.url())
    assert secret.startswith("whsec_")
    declaration_id = _submitted(factory, org)
    _accept(factory, declaration_id)

    assert receiver.types == ["declaration.submitted", "declaration.reviewed"]
    submitted, reviewed = receiver.received
    for received in receiver.received:
        assert _verified(received, secret)
        assert received.path == "/hooks/kuota"
        assert received.headers["Kuota-Event-Id"] == received.json["id"]
        assert received.headers["Kuota-Event-Type"] == received.json["type"]
        assert received.headers["Content-Type"] == "application/json"
        assert org.name.encode() not in received.body, "ids and links only, no names"
    assert submitted.json["data"] == {
        "object": "declaration",
        "id": declaration_id,
        "organization_id": org.id,
        "period": str(submitted.json["data"]["period"]),
        "version": 1,
        "url": f"http://127.0.0.1:5000/declarations/{declaration_id}",
    }
    assert reviewed.json["data"]["outcome"] == "accepted"
    assert submitted.json["created_at"].endswith("Z")
    assert not signing.verify("whsec_other", submitted.headers["Kuota-Signature"],
                              submitted.body, int(time.time()))  # fmt: skip
    assert not _verified_late(submitted, secret), "a replay after five minutes is refused"
    rows = _deliveries(app)
    assert [(r.status, r.attempts, r.response_status) for r in rows] == [
        (DeliveryStatus.DELIVERED, 1, 200),
        (DeliveryStatus.DELIVERED, 1, 200),
    ]
    with app.app_context():
        stored = db.session.execute(text("SELECT payload FROM webhook_deliveries")).scalars()
        assert all("declaration" not in payload for payload in stored), "payloads encrypted"
        secrets_stored = db.session.execute(text("SELECT secret FROM webhook_endpoints")).scalar()
        assert secret not in secrets_stored
    assert endpoint_id


def _verified_late(received, secret: str) -> bool:
    header = received.headers[signing.SIGNATURE_HEADER]
    return signing.verify(secret, header, received.body, int(time.time()) + 301)


def test_an_event_no_endpoint_asked_for_is_not_sent(app, factory, receiver):
    org = factory.org()
    _add_endpoint(factory, org.id, receiver.url(), ["case.opened"])
    _submitted(factory, org)
    assert receiver.received == []
    assert _deliveries(app) == []


def test_a_refusing_receiver_gets_retries_with_back_off_and_events_stay_in_order(app, factory):
    org = factory.org()
    with running_receiver(refuse=2) as receiver:
        _add_endpoint(factory, org.id, receiver.url())
        declaration_id = _submitted(factory, org)
        first = _deliveries(app)[0]
        assert (first.status, first.attempts, first.response_status) == (
            DeliveryStatus.PENDING,
            1,
            503,
        )
        assert first.last_error == "HTTP 503: busy, try later"
        assert first.next_attempt_at == first.last_attempt_at + timedelta(seconds=5)

        _accept(factory, declaration_id)  # a later event waits behind the refused one
        assert receiver.refused == 1
        assert [r.attempts for r in _deliveries(app)] == [1, 0]

        _retry_job(app, seconds_later=3)  # the first back-off is 5 seconds: not yet
        assert receiver.refused == 1
        _retry_job(app, seconds_later=6)
        assert receiver.refused == 2, "second attempt, refused again"
        assert [r.attempts for r in _deliveries(app)] == [2, 0]
        _retry_job(app, seconds_later=6 + 20)  # the second back-off is 25 seconds: not yet
        assert receiver.received == []
        _retry_job(app, seconds_later=6 + 26)
        assert receiver.types == ["declaration.submitted", "declaration.reviewed"]
        rows = _deliveries(app)
        assert [(r.status, r.attempts) for r in rows] == [
            (DeliveryStatus.DELIVERED, 3),
            (DeliveryStatus.DELIVERED, 1),
        ]
        _retry_job(app, seconds_later=3600)
        assert len(receiver.received) == 2, "each delivered once"


def test_an_event_refused_at_every_attempt_is_dead_until_sent_again(app, factory):
    org = factory.org()
    with running_receiver(refuse=99) as receiver:
        endpoint_id, secret = _add_endpoint(factory, org.id, receiver.url())
        _submitted(factory, org)
        waited = 0.0
        for attempt, backoff in enumerate(delivery.BACKOFF, start=2):
            waited += backoff.total_seconds() + 1
            _retry_job(app, seconds_later=waited)
            assert _deliveries(app)[0].attempts == attempt
        (dead,) = _deliveries(app)
        assert (dead.status, dead.attempts) == (DeliveryStatus.DEAD, delivery.MAX_ATTEMPTS)
        assert delivery.MAX_ATTEMPTS == 7
        _retry_job(app, seconds_later=waited + 10**6)
        assert _deliveries(app)[0].attempts == delivery.MAX_ATTEMPTS, "dead is not retried"

        receiver.refuse = 0  # the receiver is fixed
        with factory.session() as session:
            hr = hr_of(session, org.id)
            endpoints.send_again(session, hr, endpoint_id, dead.id)
        (sent,) = _deliveries(app)
        assert (sent.status, sent.attempts) == (DeliveryStatus.DELIVERED, 1)
        assert receiver.types == ["declaration.submitted"]
        assert _verified(receiver.received[0], secret)
        with factory.session() as session:
            hr = hr_of(session, org.id)
            with pytest.raises(ServiceError):
                endpoints.send_again(session, hr, endpoint_id, dead.id)  # delivered now
            event = session.scalar(
                select(AuditEvent).where(AuditEvent.action == "webhook.sent_again")
            )
            assert event.data["event_id"] == dead.event_id


def test_the_test_event_reaches_this_endpoint_only(app, factory, receiver):
    org = factory.org()
    endpoint_id, secret = _add_endpoint(factory, org.id, receiver.url("/a"))
    _add_endpoint(factory, org.id, receiver.url("/b"))
    with factory.session() as session:
        endpoints.send_test_event(session, hr_of(session, org.id), endpoint_id)
    (received,) = receiver.received
    assert received.path == "/a"
    assert received.json["type"] == "webhook.test"
    assert received.json["data"] == {"object": "webhook_endpoint", "id": endpoint_id, "test": True}
    assert _verified(received, secret)


def test_a_disabled_endpoint_gets_nothing_and_catches_up_when_enabled(app, factory, receiver):
    org = factory.org()
    endpoint_id, _ = _add_endpoint(factory, org.id, receiver.url())
    with factory.session() as session:
        hr = hr_of(session, org.id)
        endpoints.send_test_event(session, hr, endpoint_id)  # queued, then disabled at once
        endpoints.set_active(session, hr, endpoint_id, False)
    _submitted(factory, org)
    assert receiver.received == [], "nothing is sent to a disabled endpoint"
    assert [r.event_type for r in _deliveries(app)] == ["webhook.test"], "nor made for it"
    _retry_job(app, seconds_later=60)
    assert receiver.received == []
    with factory.session() as session:
        endpoints.set_active(session, hr_of(session, org.id), endpoint_id, True)
    assert receiver.types == ["webhook.test"], "what waited is sent once enabled"


def test_events_go_to_their_owner_only(app, factory, receiver):
    mine, theirs = factory.org(), factory.org()
    _add_endpoint(factory, mine.id, receiver.url("/mine"))
    _add_endpoint(factory, theirs.id, receiver.url("/theirs"))
    _submitted(factory, theirs)
    assert [r.path for r in receiver.received] == ["/theirs"]
    with factory.session() as session:
        their_endpoint = endpoints.list_endpoints(session, hr_of(session, theirs.id))[0].id
        my_hr = hr_of(session, mine.id)
        with pytest.raises(NotFound):
            endpoints.get_endpoint(session, my_hr, their_endpoint)
        with pytest.raises(NotFound):
            endpoints.send_test_event(session, my_hr, their_endpoint)
        assert [e.url for e in endpoints.list_endpoints(session, my_hr)] == [receiver.url("/mine")]


def test_a_uld_hears_of_requests_and_the_company_of_its_shortlist(app, factory, receiver):
    from compliance.models import Establishment
    from compliance.services.registry.referrals import propose_candidate, send_shortlist
    from compliance.services.registry.requests import RequestInput, create_request
    from tests.registry.support import make_candidate, make_officer, make_uld

    org = factory.org(regency="35.78")
    uld_id = make_uld(factory, "35", "35.78")
    officer = make_officer(factory, ("35.78",), uld_id)
    candidate_id = make_candidate(factory, officer, regency="35.78")
    with factory.session() as session:
        actor = session.get(User, officer.id)
        _, uld_secret = endpoints.create_endpoint(
            session,
            actor,
            EndpointInput(
                receiver.url("/uld"),
                "SIAPkerja",
                ["referral_request.received", "referral.proposed"],
            ),
        )
        with pytest.raises(ServiceError) as refused:  # a company's event is not the ULD's
            endpoints.create_endpoint(
                session, actor, EndpointInput(receiver.url(), "x", ["declaration.submitted"])
            )
        assert refused.value.field == "event_types"
    _add_endpoint(factory, org.id, receiver.url("/company"), ["referral.proposed"])
    with factory.session() as session:
        hr = hr_of(session, org.id)
        establishment_id = session.scalar(
            select(Establishment.id).where(Establishment.organization_id == org.id)
        )
        request = create_request(
            session, hr, RequestInput(establishment_id, "Staf", "Tugas", "full_time", "none", 1)
        )
        propose_candidate(session, session.get(User, officer.id), request.id, candidate_id)
        send_shortlist(session, session.get(User, officer.id), request.id)
        request_id = request.id
    assert [(r.path, r.json["type"]) for r in receiver.received] == [
        ("/uld", "referral_request.received"),
        ("/uld", "referral.proposed"),
        ("/company", "referral.proposed"),
    ]
    uld_view, company_view = receiver.received[1].json, receiver.received[2].json
    assert uld_view["id"] == company_view["id"], "one event, the same id for every receiver"
    assert uld_view["data"]["url"].endswith(f"/registry/requests/{request_id}")
    assert company_view["data"]["url"].endswith(f"/referrals/{request_id}")
    assert set(company_view["data"]) == {
        "object", "id", "organization_id", "referral_request_id", "url"
    }, "nothing about the candidates"  # fmt: skip
    assert _verified(receiver.received[0], uld_secret)


def test_an_officer_without_a_uld_has_no_endpoints(app, factory):
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("35.78",))
    with factory.session() as session:
        actor = session.get(User, officer.id)
        assert endpoints.list_endpoints(session, actor) == []
        with pytest.raises(ServiceError):
            endpoints.create_endpoint(session, actor, EndpointInput("https://x", "x", []))


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/in",  # not https
        "ftp://hooks.example.com/in",
        "https://user:secret@hooks.example.com/in",
        "https://10.0.0.5/in",
        "https://192.168.1.10/in",
        "https://169.254.169.254/latest/meta-data",  # the cloud's metadata service
        "https://[fd00::1]/in",
        "https://[::ffff:10.0.0.1]/in",
        "https://0.0.0.0/in",
        "http://192.168.1.10/in",  # http is for this machine only, and only while testing
        "https://internal.example.com/in",  # resolves to a private address
        "https://nowhere.invalid/in",
        "not a url",
    ],
)
def test_private_and_local_addresses_are_refused(app, factory, monkeypatch, url):
    monkeypatch.setattr(http, "resolve", _fake_dns)
    org = factory.org()
    with factory.session() as session:
        with pytest.raises(ServiceError) as refused:
            endpoints.create_endpoint(
                session, hr_of(session, org.id), EndpointInput(url, "x", ["case.opened"])
            )
        assert refused.value.field == "url"


def _fake_dns(host, port, *args, **kwargs):
    """Tests never reach a name server: a public and a private name, the rest unknown."""
    addresses = {
        "hooks.example.com": "93.184.215.14",
        "internal.example.com": "10.1.2.3",
    }
    if host in addresses:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addresses[host], port))]
    if host.replace(".", "").isdigit() or ":" in host:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (host, port))]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_loopback_is_refused_outside_debug_and_testing():
    for url in ("http://127.0.0.1:8000/in", "https://127.0.0.1/in", "https://localhost/in"):
        with pytest.raises(http.AddressRefused):
            http.check_url(url, allow_loopback=False)
    http.check_url("http://127.0.0.1:8000/in", allow_loopback=True)
    with pytest.raises(http.AddressRefused):
        http.check_url("http://10.0.0.1/in", allow_loopback=True)


def test_a_name_that_turns_private_after_saving_is_refused_when_sending(app, factory, monkeypatch):
    """DNS rebinding: the address is checked where the connection is made, every time."""
    monkeypatch.setattr(http, "resolve", _fake_dns)
    org = factory.org()
    _add_endpoint(factory, org.id, "https://hooks.example.com/in")
    monkeypatch.setattr(
        http,
        "resolve",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))
        ],
    )
    _submitted(factory, org)
    (row,) = _deliveries(app)
    assert (row.status, row.attempts, row.response_status) == (DeliveryStatus.PENDING, 1, None)
    assert row.last_error.startswith("refused: ")


def test_a_silent_receiver_times_out(app, factory, monkeypatch):
    monkeypatch.setattr(http, "READ_TIMEOUT", 0.3)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        answer = http.post(
            f"http://127.0.0.1:{port}/in", b"{}", {"Content-Type": "application/json"},
            allow_loopback=True,
        )  # fmt: skip
    assert (answer.ok, answer.status) == (False, None)
    assert "time" in answer.error


def test_a_receiver_that_drips_its_answer_is_cut_off(monkeypatch):
    """Each read within READ_TIMEOUT, but the whole answer never: TOTAL_SECONDS ends it."""
    import threading

    monkeypatch.setattr(http, "TOTAL_SECONDS", 0.5)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        stop = threading.Event()

        def drip() -> None:
            conn, _ = server.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                while not stop.is_set():
                    try:
                        conn.sendall(b"X-Drip: 1\r\n")
                    except OSError:
                        return
                    time.sleep(0.05)

        thread = threading.Thread(target=drip, daemon=True)
        thread.start()
        started = time.monotonic()
        answer = http.post(f"http://127.0.0.1:{port}/in", b"{}", {}, allow_loopback=True)
        took = time.monotonic() - started
        stop.set()
        thread.join(timeout=5)
    assert (answer.ok, answer.status) == (False, None)
    assert answer.error == "no whole answer within 0.5 seconds"
    assert took < 3


def test_an_endpoint_beyond_the_basic_plan_needs_a_subscription(app, factory, receiver):
    large = factory.org()
    fill_year(factory, large.id, {large.establishment_ids[0]: 150})  # a paid band, unpaid
    _add_endpoint(factory, large.id, receiver.url("/1"))
    with factory.session() as session, pytest.raises(ServiceError) as refused:
        endpoints.create_endpoint(
            session, hr_of(session, large.id), EndpointInput(receiver.url("/2"), "y", ORG_EVENTS)
        )
    assert "plan" in refused.value.message
    small = factory.org()  # under 100 workers: everything free
    for n in range(3):
        _add_endpoint(factory, small.id, receiver.url(f"/{n}"))


def test_the_log_is_kept_thirty_days(app, factory, receiver):
    org = factory.org()
    _add_endpoint(factory, org.id, receiver.url())
    _submitted(factory, org)
    assert len(_deliveries(app)) == 1
    with app.app_context():
        job = job_named("webhook_retention")
        run_job(db.session(), job.name, job.function, utcnow() + timedelta(days=29))
    assert len(_deliveries(app)) == 1
    with app.app_context():
        run_job(db.session(), job.name, job.function, utcnow() + timedelta(days=31))
    assert _deliveries(app) == []


def test_changes_to_endpoints_are_audited_without_url_or_secret(app, factory, receiver):
    org = factory.org()
    endpoint_id, secret = _add_endpoint(factory, org.id, receiver.url("/in?token=rahasia"))
    with factory.session() as session:
        hr = hr_of(session, org.id)
        endpoints.update_endpoint(
            session, hr, endpoint_id, EndpointInput(receiver.url("/in"), "SAP", ["case.opened"])
        )
        endpoints.set_active(session, hr, endpoint_id, False)
        endpoints.delete_endpoint(session, hr, endpoint_id)
        found = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("webhook.%")).order_by(AuditEvent.id)
        ).all()
        assert [e.action for e in found] == [
            "webhook.created",
            "webhook.updated",
            "webhook.disabled",
            "webhook.deleted",
        ]
        assert all(e.organization_id == org.id for e in found)
        assert not any("rahasia" in str(e.data) or secret in str(e.data) for e in found)
        assert found[0].data["host"] == "127.0.0.1"


def test_every_mapped_action_is_one_the_services_record():
    """A misspelt action would make an event that never fires: each is a labelled action."""
    from compliance.labels import ACTION_LABELS
    from compliance.services.webhooks import events

    assert set(events.ACTIONS) <= set(ACTION_LABELS)
    for mapped in events.ACTIONS.values():
        for audience in mapped.audiences:
            assert mapped.type in events.events_for(audience)


def test_a_finding_opens_a_case_and_each_is_an_event_in_order(app, factory, receiver):
    from compliance.services.inspections.cases import open_case

    org = factory.org()
    _add_endpoint(factory, org.id, receiver.url())
    declaration_id = _submitted(factory, org)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        case = open_case(session, session.get(User, inspector.id), declaration_id, "Kurang 2")
        case_id = case.id
    assert receiver.types == ["declaration.submitted", "declaration.reviewed", "case.opened"]
    reviewed, opened = receiver.received[1].json["data"], receiver.received[2].json["data"]
    assert reviewed["outcome"] == "finding"
    assert opened["object"] == "inspection_case"
    assert opened["id"] == case_id
    assert opened["stage"] == "nota_1"
    assert "Kurang" not in receiver.received[2].body.decode(), "not the finding's words"
