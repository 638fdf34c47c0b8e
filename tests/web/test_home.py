"""Each role's home at /dashboard (issue 16, item 3): the figures a user would check, the one
next step, and nothing from another tenant.

The HR home must say what the gap page and the declarations list say for the same period, so
the three pages are rendered and their numbers compared. Every test runs at the frozen default
instant (Monday 16 November 2026, WIB); dates are derived from it.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select, update

from compliance.clock import utcnow
from compliance.models import AuditEvent, Organization, Role, User
from compliance.models.audit import AuditCheckpoint
from compliance.models.inspections import InspectionCase
from compliance.models.jobs import JobRun
from compliance.services.audit_checkpoints import write_checkpoint
from compliance.services.declarations.status import period_status
from compliance.services.establishments import EstablishmentDetails, update_establishment
from compliance.services.inspections import rebuild_summaries
from compliance.services.registry.referrals import propose_candidate, send_shortlist
from compliance.services.registry.requests import RequestInput, create_request
from compliance.services.team import invite_colleague
from tests.registry.support import make_candidate, make_officer, make_uld
from tests.support.clock import last_year, today
from tests.support.declarations import fill_recent, fill_year, hr_of, submit_year
from tests.support.inspections import make_attachment, make_case
from tests.support.mail import sent_mails
from tests.support.roster import make_employee
from tests.support.web import login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _row(page: str, first_cell: str) -> str:
    """The words of the table row whose first cell starts with `first_cell`."""
    for chunk in page.split("<tr")[1:]:
        text = words("<tr" + chunk.split("</tr>")[0])
        if text.startswith(first_cell):
            return text
    raise AssertionError(f"no row for {first_cell!r}")


def _steps(page: str) -> list[str]:
    """The onboarding checklist's states, in order ([] when the checklist is not shown)."""
    listing = re.search(r'<ol class="usa-process-list">(.*?)</ol>', page, re.S)
    if listing is None:
        return []
    return [
        words(tag) for tag in re.findall(r'<span class="usa-tag[^"]*">(.*?)</span>', listing[1])
    ]


# --- HR manager -------------------------------------------------------------------------------


def test_hr_home_states_the_period_as_the_gap_page_and_the_declarations_list(client, factory):
    org = factory.org(name="PT Angka Sama")
    fill_recent(factory, org.id, {org.establishment_ids[0]: 150})
    make_employee(factory, org.id, details=True)  # one counted of two required
    year = today().year  # the gap page's period in November: this year
    with factory.session() as session:
        record = period_status(session, session.get(Organization, org.id), year)
    result = record.result
    assert (result.required, result.counted, result.gap) == (2, 1, 1)

    login(client, org.hr_email)
    home = text_of(client.get("/dashboard"))
    said = words(home)
    assert f"Period {year}" in said
    assert "Required 2 people Counted 1 person Gap 1 person" in said
    # The next due date is this year's period, due 31 January; last year's is overdue.
    due = date(year + 1, 1, 31)
    days_left = (due - today()).days
    assert f"Next declaration due: {due:%B} {due.day}, {due.year}, for {year}" in said, said
    assert f"{days_left} days left" in said
    assert f"Period {year - 1}: Overdue: not filed" in said
    assert f"File the declaration for {year - 1}" in said  # the next step

    # The declarations list's row for the period says the same numbers.
    listed = _row(text_of(client.get("/declarations")), str(year))
    match = re.search(r"(\d+) people required, (\d+) counted, (\d+) missing", listed)
    assert match, listed
    assert tuple(int(n) for n in match.groups()) == (2, 1, 1)
    assert "Open: not due yet" in listed
    assert "Open: not due yet" in said

    # And the gap page, in whole people, for the same period.
    gap = words(text_of(client.get(f"/gap?year={year}")))
    assert f"Quota gap {year}" in gap
    assert re.search(r"People required each month: (\d+)\.", gap)[1] == "2"
    assert re.search(r"People short: (\d+)\.", gap)[1] == "1"
    assert f'href="/gap?year={year}"' in home


def test_hr_home_lists_what_to_fix_with_links_to_fix_it(client, factory):
    org = factory.org(name="PT Perlu Perbaikan", other_regencies=("31.74",))
    head, branch = org.establishment_ids
    fill_recent(factory, org.id, {head: 150})  # the branch has no figures at all
    make_employee(factory, org.id, number="E-9", name="Tanpa Persetujuan")  # no consent

    login(client, org.hr_email)
    page = text_of(client.get("/dashboard"))
    said = words(page)
    months = today().month - 1
    assert f"Cabang 31.74 has {months} months without figures, from January {today().year}" in said
    assert f'href="/establishments/{branch}/figures?month={today().year}-01"' in page
    assert "1 employee on the roster has no recorded consent and cannot be counted" in said
    assert 'href="/roster"' in page


def test_onboarding_checklist_ticks_itself_step_by_step_and_then_goes(client, factory):
    org = factory.org(name="PT Baru Mulai")
    login(client, org.hr_email)

    def states() -> list[str]:
        return _steps(text_of(client.get("/dashboard")))

    assert states() == ["Next", "To do", "To do", "To do"]
    page = words(text_of(client.get("/dashboard")))
    assert "Getting started" in page
    assert "Your next step" in page
    assert "Add your establishments" in page

    with factory.session() as session:
        hr = hr_of(session, org.id)
        details = EstablishmentDetails("Kantor pusat", "31.71", address="Jl. Merdeka 1, Jakarta")
        update_establishment(session, hr, org.establishment_ids[0], details)
    assert states() == ["Done", "Next", "To do", "To do"]

    fill_year(factory, org.id, {org.establishment_ids[0]: 150})
    assert states() == ["Done", "Done", "Next", "To do"]

    make_employee(factory, org.id, details=True)
    assert states() == ["Done", "Done", "Done", "Next"]

    submit_year(factory, org.id)
    page = text_of(client.get("/dashboard"))
    assert _steps(page) == []
    assert "Getting started" not in words(page)


def test_a_confirmed_sign_up_lands_on_the_home_with_its_checklist(client, outbox):
    data = {
        "organization_name": "PT Daftar Baru",
        "nib": "9234567890123",
        "npwp": "91.234.567.8-901.000",
        "sector": "private",
        "regency": "36.71",
        "name": "Rina Daftar",
        "email": "rina@daftar.example.com",
        "password": "tiga kata rahasia",
        "password_confirm": "tiga kata rahasia",
    }
    assert post_form(client, "/signup", data).status_code == 302
    (mail,) = sent_mails(outbox)
    body = mail.text
    path = re.search(r"https?://[^\s]+(/signup/confirm/[^\s]+)", body)[1]
    response = post_form(client, path, {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    page = text_of(client.get("/dashboard"))
    assert "Welcome! Your organisation is registered." in words(page)
    assert "Where PT Daftar Baru stands" in words(page)
    assert _steps(page) == ["Next", "To do", "To do", "To do"]


# --- labour inspector -------------------------------------------------------------------------


@pytest.fixture
def province(factory):
    """Jakarta: one organisation overdue, one filed compliant, one filed short; cases on the
    short one: one the company answered, one whose deadline falls this week."""
    overdue = factory.org(name="PT Belum Lapor")
    fill_year(factory, overdue.id, {overdue.establishment_ids[0]: 150})
    compliant = factory.org(name="PT Sudah Patuh")
    make_employee(factory, compliant.id, number="E-1", details=True)
    make_employee(factory, compliant.id, number="E-2", name="Budi", details=True)
    fill_year(factory, compliant.id, {compliant.establishment_ids[0]: 150})
    short = factory.org(name="PT Masih Kurang")
    fill_year(factory, short.id, {short.establishment_ids[0]: 150})
    with time_machine.travel(datetime(last_year() + 1, 1, 15, 3, 0, tzinfo=UTC), tick=False):
        submit_year(factory, compliant.id)
        submit_year(factory, short.id)
    answered = make_case(factory, short.id, "Kurang 2 orang")
    make_attachment(factory, answered)
    soon = make_case(factory, short.id, "Kurang lagi")
    with factory.session() as session:
        session.execute(
            update(InspectionCase)
            .where(InspectionCase.id == soon)
            .values(deadline_on=today() + timedelta(days=2))
        )
        rebuild_summaries(session)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    return {
        "overdue": overdue,
        "compliant": compliant,
        "short": short,
        "answered": answered,
        "soon": soon,
        "me": inspector,
    }


def test_inspector_home_shows_the_headline_and_what_needs_action(client, factory, province):
    login(client, province["me"].email)
    page = text_of(client.get("/dashboard"))
    said = words(page)
    assert "Compliance in Daerah Khusus Ibukota Jakarta" in said
    assert "Organisations obliged 3" in said
    assert "Filed: compliant 1" in said
    assert "Filed: shortfall 1" in said
    assert "Overdue: not filed 1" in said
    assert 'href="/inspections?status=overdue"' in page
    # The dashboard counts the same: its overdue figure is the home's.
    board = words(text_of(client.get("/inspections")))
    assert "Declarations overdue 1" in board

    answered, soon = province["answered"], province["soon"]
    assert f"PT Masih Kurang answered case {answered}" in said  # the next step
    assert f'href="/inspections/cases/{answered}"' in page
    deadline = today() + timedelta(days=2)
    row = _row(page, f"Case {soon}")
    assert "PT Masih Kurang" in row
    assert "Nota pemeriksaan I" in row
    assert f"{deadline:%B} {deadline.day}, {deadline.year}" in row
    assert "2 days left" in row
    with pytest.raises(AssertionError):  # its deadline is 42 days away: not this week
        _row(page, f"Case {answered}")
    overdue_row = _row(page, "PT Belum Lapor")
    assert str(last_year()) in overdue_row
    assert f'href="/inspections/organizations/{province["overdue"].id}"' in page


def test_an_inspector_of_another_province_sees_none_of_them(client, factory, province):
    elsewhere = factory.user(Role.INSPECTOR, provinces=("35",))
    login(client, elsewhere.email)
    page = text_of(client.get("/dashboard"))
    said = words(page)
    for org in ("PT Belum Lapor", "PT Sudah Patuh", "PT Masih Kurang"):
        assert org not in said
    assert "Organisations obliged 0" in said
    assert "Overdue: not filed 0" in said
    assert f"/inspections/cases/{province['answered']}" not in page
    assert "Nothing needs you today" in said


# --- ULD registry officer ---------------------------------------------------------------------


def _request(factory, org, title: str) -> int:
    with factory.session() as session:
        hr = hr_of(session, org.id)
        data = RequestInput(org.establishment_ids[0], title, "Entri data", "full_time", "none", 1)
        return create_request(session, hr, data).id


def test_officer_home_shows_new_requests_deadlines_and_follow_ups(client, factory):
    uld_id = make_uld(factory, "31", "31.71", "ULD Jakarta Pusat")
    officer = make_officer(factory, ("31.71",), uld_id)
    org = factory.org(name="PT Cari Kandidat")
    candidate_id = make_candidate(factory, officer, regency="31.71", name="Sari Kandidat")
    now = utcnow().replace(tzinfo=UTC)
    with time_machine.travel(now - timedelta(days=20), tick=False):
        waiting_id = _request(factory, org, "Staf gudang")
        with factory.session() as session:
            actor = session.get(User, officer.id)
            propose_candidate(session, actor, waiting_id, candidate_id)
            send_shortlist(session, actor, waiting_id)
    with time_machine.travel(now - timedelta(days=12), tick=False):
        due_id = _request(factory, org, "Staf keuangan")
    new_id = _request(factory, org, "Staf administrasi")

    login(client, officer.email)
    page = text_of(client.get("/dashboard"))
    said = words(page)
    assert "Referrals at ULD Jakarta Pusat" in said
    due_row = _row(page, "Staf keuangan")
    assert "PT Cari Kandidat" in due_row
    assert "2 days left" in due_row
    assert "The shortlist for Staf keuangan (PT Cari Kandidat) is due on" in said
    assert f'href="/registry/requests/{due_id}"' in page
    new_row = _row(page, "Staf administrasi")
    assert "Received today" in new_row
    assert f'href="/registry/requests/{new_id}"' in page
    follow = _row(page, "Sari Kandidat")
    assert "Staf gudang" in follow
    assert "Proposed" in follow
    assert "Ask the candidate whether they agree to be introduced" in follow
    assert "Requests near their deadline 1 New requests 1 Referrals to follow up 1" in said


def test_an_officer_of_another_uld_sees_none_of_it(client, factory):
    uld_id = make_uld(factory, "31", "31.71")
    make_officer(factory, ("31.71",), uld_id)
    org = factory.org(name="PT Rahasia Lain")
    _request(factory, org, "Staf rahasia")
    other = make_officer(factory, ("35.78",), make_uld(factory, "35", "35.78"))
    login(client, other.email)
    said = words(text_of(client.get("/dashboard")))
    assert "Staf rahasia" not in said
    assert "PT Rahasia Lain" not in said
    assert "Requests near their deadline 0 New requests 0 Referrals to follow up 0" in said


# --- administrator ----------------------------------------------------------------------------


def test_admin_home_shows_failing_jobs_waiting_accounts_and_the_audit_anchor(client, factory):
    admin = factory.user(Role.ADMIN)
    factory.user(Role.INSPECTOR, provinces=("31",))  # never logged in
    gone = factory.user(Role.REGISTRY_OFFICER, regencies=("31.71",))
    org = factory.org()
    started = utcnow() - timedelta(hours=3)
    with factory.session() as session:
        session.execute(update(User).where(User.id == gone.id).values(is_active=False))
        invite_colleague(session, hr_of(session, org.id), "rekan@example.com", lambda _t: None)
        session.add_all(
            [
                JobRun(job="monthly_snapshot", started_at=started, outcome="succeeded"),
                JobRun(job="monthly_snapshot", started_at=started, outcome="failed", failed=3),
                JobRun(job="deadline_reminders", started_at=started, outcome="failed"),
                JobRun(job="deadline_reminders", started_at=started, outcome="succeeded"),
            ]
        )
        write_checkpoint(session, utcnow())
    login(client, admin.email)
    page = text_of(client.get("/dashboard"))
    said = words(page)
    with factory.session() as session:
        head = session.scalar(select(func.max(AuditCheckpoint.head_event_id)))
        since = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.id > head)
        )
    assert "1 scheduled job failed on its latest run" in said
    row = _row(page, "monthly_snapshot")
    assert "Failed" in row, row
    assert row.endswith(" 3"), row
    assert "deadline_reminders" not in said
    assert "Scheduled jobs failing 1" in said
    assert "Invitations not accepted 1" in said
    assert "Staff accounts never used 1" in said  # the inspector (the officer is deactivated)
    assert "Deactivated accounts 1" in said
    assert "Last signed checkpoint:" in said
    assert f"{since} event" in said
    assert 'href="/admin/jobs"' in page
    assert 'href="/admin/audit"' in page
