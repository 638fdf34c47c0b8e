"""The roster through the API: consent first and never apart from the details."""

from __future__ import annotations

from sqlalchemy import func, select

from compliance.models import ConsentRecord, Employee
from tests.support.api import call, field_errors, make_token, problem
from tests.support.clock import today


def _entry(establishment_id: int, **extra) -> dict:
    return {
        "employee_number": "E-17",
        "name": "Siti Rahma",
        "establishment_id": establishment_id,
        "employment_type": "permanent",
        "start_date": "2023-02-01",
        **extra,
    }


CONSENT = {"given_by": "employee", "method": "written", "given_on": "2024-01-02"}
DETAILS = {"categories": ["sensory"], "evidence_type": "kpd", "evidence_number": "KPD-1"}


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_details_without_consent_are_refused_on_their_field_and_nothing_is_stored(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    refused = call(
        client, "POST", "/roster", token, json=_entry(org.establishment_ids[0], disability=DETAILS)
    )
    errors = field_errors(refused)
    assert list(errors) == ["disability"]
    assert "consent" in errors["disability"]
    assert _count(factory, Employee) == 0


def test_an_entry_with_its_consent_shows_its_details_until_withdrawn(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    body = _entry(org.establishment_ids[0], consent=CONSENT, disability=DETAILS)
    added = call(client, "POST", "/roster", token, json=body)
    assert added.status_code == 201, added.get_data(as_text=True)
    entry = added.get_json()
    assert entry["consent"] == "active"
    assert entry["disability"]["categories"] == ["sensory"]
    assert _count(factory, ConsentRecord) == 1
    withdrawn = call(client, "POST", f"/roster/{entry['id']}/consent/withdraw", token).get_json()
    assert withdrawn["consent"] == "withdrawn"
    assert withdrawn["disability"] is None
    page = call(client, "GET", "/roster", token).get_json()
    assert page["items"][0]["disability"] is None
    # Details after the withdrawal: refused, as on the page.
    change = call(
        client,
        "PUT",
        f"/roster/{entry['id']}",
        token,
        json=_entry(org.establishment_ids[0], disability=DETAILS),
    )
    assert "disability" in field_errors(change)


def test_a_future_consent_and_a_duplicate_number_name_their_fields(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    future = {**CONSENT, "given_on": f"{today().year + 1}-01-01"}
    refused = call(
        client, "POST", "/roster", token, json=_entry(org.establishment_ids[0], consent=future)
    )
    assert "consent.given_on" in field_errors(refused)
    assert _count(factory, Employee) == 0
    call(client, "POST", "/roster", token, json=_entry(org.establishment_ids[0]))
    again = call(client, "POST", "/roster", token, json=_entry(org.establishment_ids[0]))
    assert "employee_number" in field_errors(again)
    other = factory.org()
    problem(call(client, "GET", "/roster/999999", token), 404)
    foreign = call(
        client,
        "POST",
        "/roster",
        token,
        json={**_entry(other.establishment_ids[0]), "employee_number": "X"},
    )
    assert "establishment_id" in field_errors(foreign)
