"""An HR system keeps establishments and monthly figures through the API, with the same rules,
reach and audit trail as the pages, and reads the same status of record."""

from __future__ import annotations

from sqlalchemy import func, select

from compliance.models import AuditEvent, Establishment, WorkforceFigure
from compliance.models.organizations import Organization
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.dates import add_months, month_start
from compliance.services.declarations.status import period_status
from tests.support.api import call, field_errors, make_token, problem
from tests.support.clock import today
from tests.support.localstripe_helpers import set_headcount

BRANCH = {"name": "Cabang Bandung", "regency_code": "32.73", "wlkp_number": "WLKP-1"}
COUNTS = {
    "permanent": 120,
    "fixed_term": 30,
    "daily": 0,
    "part_time": 4,
    "outsourced": 12,
    "intern": 3,
}


def _last_month() -> str:
    return f"{add_months(month_start(today()), -1):%Y-%m}"


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_organization_and_its_establishments_page_by_cursor(client, factory):
    org = factory.org(other_regencies=("32.73", "33.74", "34.02"))
    token = make_token(factory, org.hr_email)
    assert call(client, "GET", "/organization", token).get_json()["nib"] == org.nib
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = call(client, "GET", "/establishments", token, query_string=query).get_json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(org.establishment_ids)
    errors = field_errors(
        call(client, "GET", "/establishments", token, query_string={"cursor": "!!"})
    )
    assert "cursor" in errors


def test_adding_an_establishment_is_audited_with_the_token_name(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email, name="SAP HR")
    response = call(client, "POST", "/establishments", token, json=BRANCH)
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"].endswith(f"/establishments/{created['id']}")
    assert created["regency_code"] == "32.73"
    assert created["is_open"]
    with factory.session() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "establishment.added"
        assert event.data["api_token"] == "SAP HR"
        assert event.actor_label.startswith(org.hr_email)


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    key = {"Idempotency-Key": "sync-2026-12-04-branch"}
    first = call(client, "POST", "/establishments", token, json=BRANCH, headers=key)
    again = call(client, "POST", "/establishments", token, json=BRANCH, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(factory, Establishment) == 2  # head office + one branch, not two
    other = call(
        client, "POST", "/establishments", token, json={**BRANCH, "name": "Lain"}, headers=key
    )
    assert "Idempotency-Key" in field_errors(other)
    assert _count(factory, Establishment) == 2


def test_bad_bodies_name_the_field_and_change_nothing(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    unknown = call(client, "POST", "/establishments", token, json={**BRANCH, "colour": "red"})
    assert field_errors(unknown) == {"colour": "This field is not part of the request: remove it."}
    wrong = call(client, "POST", "/establishments", token, json={**BRANCH, "name": 12})
    assert "name" in field_errors(wrong)
    missing = call(client, "POST", "/establishments", token, json={"name": "X"})
    assert field_errors(missing)["regency_code"] == "This field is required."
    nowhere = call(
        client, "POST", "/establishments", token, json={**BRANCH, "regency_code": "99.99"}
    )
    assert "regency_code" in field_errors(nowhere)  # the service's own rule, on its field
    indonesian = call(
        client,
        "POST",
        "/establishments",
        token,
        json={"name": "X"},
        headers={"Accept-Language": "id"},
    )
    assert field_errors(indonesian)["regency_code"] != "This field is required."
    assert _count(factory, Establishment) == 1


def test_hostile_bodies_answer_problems_not_500(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    auth = {"Authorization": f"Bearer {token}"}
    cases = [
        (b"{not json", "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),  # nested past recursion
        (b'{"name": ' + b"9" * 5000 + b"}", "application/json", 400),  # an int past 4,300 digits
        (b"\xff\xfe garbage", "application/json", 400),
        (b'{"name": "x"}', "text/plain", 415),
        (b'{"name": "' + b"x" * (6 * 1024 * 1024) + b'"}', "application/json", 413),
    ]
    for body, kind, status in cases:
        response = client.post("/api/v1/establishments", data=body, content_type=kind, headers=auth)
        problem(response, status)
    assert _count(factory, Establishment) == 1


def test_figures_round_trip_with_etag_and_if_match(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    path = f"/establishments/{org.establishment_ids[0]}/figures/{_last_month()}"
    empty = call(client, "GET", path, token)
    assert empty.get_json()["headcount"] == {}
    stored = call(
        client,
        "PUT",
        path,
        token,
        json={"headcount": COUNTS},
        headers={"If-Match": empty.headers["ETag"]},
    )
    assert stored.status_code == 200, stored.get_data(as_text=True)
    assert stored.get_json()["headcount"] == COUNTS
    events = _count(factory, AuditEvent)
    # The same figures again: nothing written, not even an event; the ETag stays.
    same = call(client, "PUT", path, token, json={"headcount": COUNTS})
    assert same.headers["ETag"] == stored.headers["ETag"]
    assert _count(factory, AuditEvent) == events
    # Someone read before the change and writes now: refused, nothing changed.
    late = call(
        client,
        "PUT",
        path,
        token,
        json={"headcount": {"permanent": 1}},
        headers={"If-Match": empty.headers["ETag"]},
    )
    problem(late, 412)
    assert call(client, "GET", path, token).get_json()["headcount"]["permanent"] == 120
    negative = call(client, "PUT", path, token, json={"headcount": {"permanent": -1}})
    assert "headcount.permanent" in field_errors(negative)
    future = f"/establishments/{org.establishment_ids[0]}/figures/{today():%Y-%m}"
    assert "month" in field_errors(call(client, "PUT", future, token, json={"headcount": COUNTS}))
    with factory.session() as session:
        rows = session.scalar(select(func.count()).select_from(WorkforceFigure))
    assert rows == len(COUNTS)


def test_another_organisations_objects_do_not_exist(client, factory):
    mine, theirs = factory.org(), factory.org()
    token = make_token(factory, mine.hr_email)
    other = theirs.establishment_ids[0]
    for method, path, body in [
        ("GET", f"/establishments/{other}", None),
        ("POST", f"/establishments/{other}/close", None),
        ("GET", f"/establishments/{other}/figures/{_last_month()}", None),
        ("PUT", f"/establishments/{other}/figures/{_last_month()}", {"headcount": COUNTS}),
        ("GET", "/establishments/2147483647", None),
        ("GET", "/establishments/99999999999999999999", None),
    ]:
        problem(call(client, method, path, token, json=body), 404)
    assert _count(factory, WorkforceFigure) == 0


def test_the_period_is_the_status_of_record_with_its_lines(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    year = today().year
    answer = call(client, "GET", f"/periods/{year}", token)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    with factory.session() as session, reach_scope(session, Reach.for_everything()):
        record = period_status(session, session.get(Organization, org.id), year)
    assert body["standing"] == record.standing.value
    assert body["due_on"] == record.due_on.isoformat()
    assert body["result"] == {
        "status": record.result.status,
        "required": record.result.required,
        "counted": record.result.counted,
        "gap": record.result.gap,
    }
    problem(call(client, "GET", "/periods/1900", token), 404)


def test_the_plan_gate_is_the_pages_own_and_filing_is_never_paywalled(client, factory):
    """A large private company without a plan keeps three open establishments through the API
    as on the pages (the same sentence, on the request's field); its periods and its gap are
    read whatever the plan."""
    org = factory.org(regency="31.71", other_regencies=("31.72", "31.73"))
    set_headcount(factory, org.id, 250)
    token = make_token(factory, org.hr_email)
    fourth = call(client, "POST", "/establishments", token, json=BRANCH)
    body = problem(fourth, 422)
    assert "The Basic plan includes up to 3 open establishments." in body["detail"]
    assert _count(factory, Establishment) == 3
    assert call(client, "GET", f"/periods/{today().year}", token).status_code == 200
    assert call(client, "GET", "/periods", token).status_code == 200


def test_an_establishment_is_changed_closed_and_reopened(client, factory):
    org = factory.org(other_regencies=("32.73",))
    token = make_token(factory, org.hr_email)
    branch = org.establishment_ids[1]
    changed = call(client, "PUT", f"/establishments/{branch}", token, json=BRANCH)
    assert changed.get_json()["name"] == "Cabang Bandung"
    events = _count(factory, AuditEvent)
    call(client, "PUT", f"/establishments/{branch}", token, json=BRANCH)
    assert _count(factory, AuditEvent) == events  # the same details: nothing recorded
    assert not call(client, "POST", f"/establishments/{branch}/close", token).get_json()["is_open"]
    again = problem(call(client, "POST", f"/establishments/{branch}/close", token), 422)
    assert "already closed" in again["detail"]
    assert call(client, "POST", f"/establishments/{branch}/reopen", token).get_json()["is_open"]
