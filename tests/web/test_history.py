"""Histories read as sentences: who did what to which object, with the change itself.

The HR manager's history tab, the inspector's history of an organisation and the admin's audit
trail word each audit event as one sentence ("Siti Rahma changed the figures of Gudang Bantul
for November 2026"), name the actor and the object rather than ids, filter and page on the
server, and never name an employee to a reader who may not see them.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from compliance.labels import ACTION_LABELS
from compliance.models import Establishment, Role, User
from compliance.services.audit import record_event
from compliance.services.history_sentences import SENTENCES, SYSTEM_SENTENCES, Facts, sentence
from compliance.services.workforce import record_monthly_figures
from tests.support.factories import Factory, OrgRef
from tests.support.roster import make_employee
from tests.support.web import login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def words(response) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text_of(response))).split())


def _rename(factory: Factory, email: str, name: str) -> None:
    with factory.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        user.name = name


def _figures(factory: Factory, org: OrgRef, permanent: int, month: date) -> None:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        counts = {"permanent": permanent, "fixed_term": 0}
        record_monthly_figures(session, hr, org.establishment_ids[0], month, counts)


@pytest.fixture
def bantul(factory: Factory) -> OrgRef:
    """A company whose HR manager, Siti Rahma, keeps the figures of its warehouse in Bantul."""
    org = factory.org(name="PT Gudang Jaya", regency="34.02")
    _rename(factory, org.hr_email, "Siti Rahma")
    with factory.session() as session:
        establishment = session.get(Establishment, org.establishment_ids[0])
        establishment.name = "Gudang Bantul"
    return org


def test_a_change_of_figures_reads_as_a_sentence_with_before_and_after(client, factory, bantul):
    _figures(factory, bantul, 40, date(2026, 10, 1))
    _figures(factory, bantul, 42, date(2026, 10, 1))
    login(client, bantul.hr_email)
    page = words(client.get("/organization/history"))
    assert "Siti Rahma changed the figures of Gudang Bantul for October 2026" in page
    assert "Permanent workers (PKWTT): 40 → 42" in page
    assert "workforce.figures_recorded" not in page
    assert "hr_manager" not in page


def test_history_lists_own_changes_newest_first_and_nothing_of_others(client, factory):
    org, other = factory.org(), factory.org(name="PT Lain Sekali")
    _rename(factory, org.hr_email, "Budi Hartono")
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
    page = words(client.get("/organization/history"))
    assert page.index("Budi Hartono changed their password") < page.index(
        "Budi Hartono invited rekan@example.com to the team"
    )
    assert "added the establishment" not in page  # the other organisation's event


def test_an_unknown_action_still_reads_as_words(client, factory):
    org = factory.org()
    _rename(factory, org.hr_email, "Rina Wati")
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        record_event(session, hr, "employee.teleported", ("Employee", 1), organization_id=org.id)
    login(client, org.hr_email)
    page = words(client.get("/organization/history"))
    assert "Rina Wati — Changes to the roster (" in page  # with its time after it
    assert "employee.teleported" not in page


def test_history_pages_and_filters_on_the_server(client, factory):
    org = factory.org()
    with factory.session() as session:
        for n in range(55):
            record_event(session, None, "keys.rotated", ("DataKeys", n), organization_id=org.id)
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        record_event(session, hr, "user.logged_out", hr, organization_id=org.id)
    login(client, org.hr_email)
    first = words(client.get("/organization/history"))
    assert "Page 1 of 2, 56 changes" in first
    second = words(client.get("/organization/history?page=2"))
    assert "Page 2 of 2, 56 changes" in second
    assert second.count("The encryption keys were rotated") == 6
    team = words(client.get("/organization/history?area=team"))
    assert "Page 1 of 1, 1 change" in team
    assert "signed out" in team
    assert "encryption keys" not in team
    wrong = client.get("/organization/history?date_from=2026-02-01&date_to=2026-01-01")
    assert wrong.status_code == 422
    assert "The end date is before the start date." in words(wrong)
    assert client.get("/organization/history?area=nonsense").status_code == 422


def test_the_inspector_reads_the_history_without_employee_names(client, factory):
    org = factory.org(regency="31.71")
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    make_employee(factory, org.id, number="E-1", name="Sari Penyandang", details=True)
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        record_event(session, hr, "user.logged_out", hr, organization_id=org.id)
    login(client, inspector.email)
    page = words(client.get(f"/inspections/organizations/{org.id}/history"))
    assert "added an employee to the roster" in page
    assert "Sari Penyandang" not in page
    assert "signed out" not in page  # logins are not the inspector's business
    drill_down = words(client.get(f"/inspections/organizations/{org.id}"))
    assert "added an employee to the roster" in drill_down
    assert "The whole history" in drill_down
    hr_client = client.application.test_client()
    hr_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(hr_client, org.hr_email)
    assert "added Sari Penyandang to the roster" in words(hr_client.get("/organization/history"))


def test_the_inspector_sees_no_history_outside_their_provinces(client, factory):
    org = factory.org(regency="34.02")
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    assert client.get(f"/inspections/organizations/{org.id}/history").status_code == 404


def test_the_admin_audit_trail_reads_as_sentences(client, factory, bantul):
    admin = factory.user(Role.ADMIN)
    _figures(factory, bantul, 40, date(2026, 10, 1))
    login(client, admin.email)
    page = words(client.get("/admin/audit"))
    assert "Siti Rahma changed the figures of Gudang Bantul for October 2026" in page
    assert "workforce.figures_recorded" not in page


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_action_has_words_and_a_sentence_that_formats(app, language):
    facts = Facts("Siti Rahma", "Gudang Bantul", {"period": "2026", "month": "2026-11"}, {})
    with app.test_request_context(headers={"Accept-Language": language}):
        for action in ACTION_LABELS:
            assert action in SENTENCES or action in SYSTEM_SENTENCES, action
            text = sentence(action, facts, by_person=action in SENTENCES)
            assert "%(" not in text
            assert action not in text
