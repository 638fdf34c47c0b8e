"""The administrators' audit page: finding events by organisation, actor, action and dates, a
page at a time, and verifying the chain from the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select, update

from compliance.models import Role, User
from compliance.models.audit import AuditEvent
from compliance.services.audit import record_event
from compliance.services.audit_search import PER_PAGE
from tests.support.web import login, post_form, text_by_id, text_of

EVENTS = AuditEvent.__table__


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin(client, factory):
    user = factory.user(Role.ADMIN)
    login(client, user.email)
    return user


def _record(factory, action, *, org=None, actor_email=None, at=None, count=1) -> list[int]:
    """`count` events, by the account `actor_email` (none: the system), at `at` (UTC)."""
    when = at or datetime(2026, 11, 15, 3, 0, tzinfo=UTC)
    with time_machine.travel(when, tick=False), factory.session() as session:
        by_email = select(User).where(User.email == actor_email)
        actor = session.scalars(by_email).one() if actor_email else None
        return [
            record_event(
                session,
                actor,
                action,
                ("Thing", n),
                organization_id=org.id if org else None,
                data={"n": n},
            ).id
            for n in range(count)
        ]


def _objects(page: str) -> set[str]:
    """The ids of the events listed in the events table (its first column)."""
    return set(re.findall(r"<tr>\s*<td>(\d+)</td>", page))


def _events(client, **args) -> str:
    """The events table of the page the filters `args` give (its rows, as HTML)."""
    response = client.get("/admin/audit", query_string=args)
    assert response.status_code == 200, text_of(response)[:2000]
    page = text_of(response)
    if "No events match these filters." in page:
        return "No events match these filters."
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_filters_narrow_the_list_by_organisation_actor_action_and_dates(client, factory, admin):
    bandung = factory.org(name="PT Kain Bandung")
    medan = factory.org(name="PT Sawit Medan")
    officer = factory.user(Role.REGISTRY_OFFICER, email="petugas.uld@example.com")
    _record(factory, "establishment.added", org=bandung, actor_email=bandung.hr_email)
    _record(factory, "employee.added", org=medan, actor_email=medan.hr_email)
    _record(factory, "referral.proposed", org=medan, actor_email=officer.email)
    # 20:00 UTC on 10 November is 03:00 WIB on 11 November: the admin's day is WIB's.
    _record(
        factory,
        "establishment.added",
        org=medan,
        actor_email=medan.hr_email,
        at=datetime(2026, 11, 10, 20, 0, tzinfo=UTC),
    )

    page = _events(client, organization="kain band")
    assert "PT Kain Bandung" in page
    assert "PT Sawit Medan" not in page
    assert "added the establishment" in page  # each event as a sentence (issue 16)
    assert "to the roster" not in page

    page = _events(client, actor="petugas.uld")
    assert "proposed a candidate" in page
    assert "added the establishment" not in page
    assert "to the roster" not in page

    page = _events(client, action="establishment.added")
    assert page.count("added the establishment") == 2

    page = _events(client, date_from="2026-11-11", date_to="2026-11-11")
    assert page.count("added the establishment") == 1
    assert "PT Sawit Medan" in page
    assert "PT Kain Bandung" not in page

    page = _events(client, date_to="2026-11-10")
    assert "No events match these filters." in page


def test_actor_is_found_by_account_name(client, factory, admin):
    org = factory.org(name="PT Nama Pelaku")
    _record(factory, "employee.added", org=org, actor_email=org.hr_email)
    number = org.hr_email.removeprefix("hr").split("@")[0]
    page = _events(client, actor=f"hr {number}")  # the factory's name, not in the e-mail
    assert f"HR {number} added" in page
    assert "to the roster" in page


def test_the_action_filter_lists_recorded_actions_in_words(client, factory, admin):
    _record(factory, "keys.rotated")
    page = text_of(client.get("/admin/audit"))
    assert re.search(r'<option value="keys.rotated">\s*Encryption keys rotated', page)


def test_pages_of_fifty_keep_the_filters(client, factory, admin):
    ids = _record(factory, "keys.rotated", count=PER_PAGE + 5)
    _record(factory, "consent.recorded")
    first = text_of(client.get("/admin/audit?action=keys.rotated"))
    assert len(_objects(first)) == PER_PAGE
    assert "recorded the consent" not in first
    older = re.search(r'href="([^"]+)">Older<', first).group(1).replace("&amp;", "&")
    assert "action=keys.rotated" in older
    assert "page=2" in older
    second = text_of(client.get(older))
    assert _objects(second) == {str(i) for i in ids[:5]}  # the oldest five, newest first
    assert ">Newer<" in second
    assert ">Older<" not in second


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"date_from": "31-12-2026"}, "date_from", "Enter a date as YYYY-MM-DD"),
        ({"date_to": "2026-02-30"}, "date_to", "Enter a date as YYYY-MM-DD"),
        (
            {"date_from": "2026-11-12", "date_to": "2026-11-01"},
            "date_to",
            "The end date is before the start date.",
        ),
        ({"action": "no.such_action"}, "action", "Choose one of the listed actions."),
    ],
)
def test_a_bad_filter_is_an_error_on_its_field(client, factory, admin, args, field, message):
    _record(factory, "keys.rotated")
    response = client.get("/admin/audit", query_string=args)
    assert response.status_code == 422
    page = text_of(response)
    error = text_by_id(page, f"{field}-error")
    assert error
    assert message in error
    assert f'aria-describedby="{field}-error"' in page
    assert "encryption keys were rotated" not in page  # no list from filters that do not hold


def test_verify_reports_an_intact_trail_with_counts(client, factory, admin):
    _record(factory, "keys.rotated", count=3)
    response = post_form(client, "/admin/audit/verify", {}, token_from="/admin/audit")
    assert response.status_code == 200
    page = text_of(response)
    assert "The chain is intact." in page
    assert re.search(r"Events checked: \d+", page)
    assert "The signed checkpoints match." in page
    assert "broken" not in page


def test_verify_names_the_event_changed_in_the_database(client, factory, admin):
    first, changed, _last = _record(factory, "keys.rotated", count=3)
    with factory.session() as session:  # as someone with SQL access would, past the ORM guard
        session.execute(update(EVENTS).where(EVENTS.c.id == changed).values(data={"n": 99}))
    page = text_of(post_form(client, "/admin/audit/verify", {}, token_from="/admin/audit"))
    assert f"The chain is broken at event {changed}." in page
    assert "content does not match its hash: the row was changed" in page
    assert first < changed


def test_verify_needs_the_csrf_token(client, factory, admin):
    response = client.post("/admin/audit/verify")
    assert response.status_code in (302, 400)
    assert "The chain is" not in text_of(response)


@pytest.mark.parametrize("role", [Role.HR_MANAGER, Role.INSPECTOR, Role.REGISTRY_OFFICER])
def test_only_admins_reach_the_audit_page(client, factory, role):
    org = factory.org()
    if role is Role.HR_MANAGER:
        login(client, org.hr_email)
    elif role is Role.INSPECTOR:
        login(client, factory.user(role, provinces=("31",)).email)
    else:
        login(client, factory.user(role, regencies=("31.71",)).email)
    assert client.get("/admin/audit").status_code == 404
    verify = post_form(client, "/admin/audit/verify", {}, token_from="/")
    assert verify.status_code == 404
