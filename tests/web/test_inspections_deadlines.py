"""Case deadlines as the law counts them, over HTTP: nota II waits for nota I's deadline (or
states why not), the case page names its organisation, HR managers see open cases with their
deadlines, and administrators add the holidays the government announces late."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from compliance.models import AuditEvent, Role
from compliance.models.calendar import ExtraHoliday
from compliance.models.inspections import CaseStage, InspectionCase
from compliance.services.inspections.working_days import add_working_days, library_holidays
from tests.support.clock import today
from tests.support.declarations import fill_year, submit_year
from tests.support.inspections import make_case
from tests.support.web import csrf_token, login, text_of

#: Date-sensitive: deadlines and holidays count from today.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar

HOLIDAYS = "/admin/inspections/holidays"


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(factory):
    return factory.org(name="PT Tenggat Waktu", regency="31.71")


@pytest.fixture
def inspector(factory):
    return factory.user(Role.INSPECTOR, provinces=("31",))


def _post(client, path, data, token_from):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **data})


def _case(factory, organization_id: int, deadline: date | None, stage=CaseStage.NOTA_1) -> int:
    case_id = make_case(factory, organization_id)
    with factory.session() as session:
        case = session.get(InspectionCase, case_id)
        case.deadline_on, case.stage = deadline, stage
    return case_id


def _audit(factory, action: str) -> list[dict]:
    with factory.session() as session:
        return [
            e.data
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def test_nota2_before_nota1_deadline_needs_a_reason(client, factory, org, inspector):
    deadline = today() + timedelta(days=20)
    case_id = _case(factory, org.id, deadline)
    page = f"/inspections/cases/{case_id}"
    login(client, inspector.email)
    assert 'name="escalate-reason"' in text_of(client.get(page))

    response = _post(client, f"{page}/escalate", {"escalate-note": "Belum cukup"}, page)
    assert response.status_code == 422
    assert 'id="escalate-reason-error"' in text_of(response)
    assert "has not passed" in text_of(response)
    with factory.session() as session:
        case = session.get(InspectionCase, case_id)
        assert (case.stage, case.deadline_on, len(case.events)) == (CaseStage.NOTA_1, deadline, 1)
    assert _audit(factory, "inspection.case_nota_2") == []

    reason = "Perusahaan menyatakan tertulis tidak akan merekrut"
    step = _post(client, f"{page}/escalate", {"escalate-reason": reason}, page)
    assert step.status_code == 200  # the confirmation step: nothing issued yet
    assert "Issue nota pemeriksaan II to" in text_of(step)
    assert _audit(factory, "inspection.case_nota_2") == []
    response = _post(
        client, f"{page}/escalate", {"escalate-reason": reason, "confirmed": "yes"}, page
    )
    assert response.status_code == 302
    with factory.session() as session:
        case = session.get(InspectionCase, case_id)
        assert case.stage is CaseStage.NOTA_2
        assert case.events[-1].early_reason == reason
    [audited] = _audit(factory, "inspection.case_nota_2")
    assert audited["early_reason"] == reason
    assert audited["previous_deadline_on"] == deadline.isoformat()

    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, org.hr_email)
    assert reason in text_of(client.get(f"/organization/inspections/cases/{case_id}"))


def test_nota2_after_nota1_deadline_needs_no_reason(client, factory, org, inspector):
    case_id = _case(factory, org.id, today() - timedelta(days=1))
    page = f"/inspections/cases/{case_id}"
    login(client, inspector.email)
    assert 'name="escalate-reason"' not in text_of(client.get(page))
    assert _post(client, f"{page}/escalate", {"confirmed": "yes"}, page).status_code == 302
    with factory.session() as session:
        case = session.get(InspectionCase, case_id)
        assert case.stage is CaseStage.NOTA_2
        assert case.events[-1].early_reason is None
    [audited] = _audit(factory, "inspection.case_nota_2")
    assert "early_reason" not in audited


def test_case_page_links_to_the_organisation(client, factory, org, inspector):
    case_id = _case(factory, org.id, today() + timedelta(days=3))
    login(client, inspector.email)
    page = text_of(client.get(f"/inspections/cases/{case_id}"))
    assert f'href="/inspections/organizations/{org.id}">PT Tenggat Waktu</a>' in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, org.hr_email)
    page = text_of(client.get(f"/organization/inspections/cases/{case_id}"))
    assert 'href="/organization">PT Tenggat Waktu</a>' in page


def test_hr_overview_shows_open_cases_with_their_deadlines(client, factory, org):
    soon = _case(factory, org.id, today() + timedelta(days=5))
    late = _case(factory, org.id, today() - timedelta(days=2), CaseStage.NOTA_2)
    referred = _case(factory, org.id, None, CaseStage.REFERRED)
    closed = _case(factory, org.id, None, CaseStage.CLOSED)
    other = _case(factory, factory.org(name="PT Lain").id, today() + timedelta(days=1))
    login(client, org.hr_email)
    page = text_of(client.get("/organization/inspections"))
    start = page.index('id="open-cases-heading"')
    section = page[start : page.index("</section>", start)]
    # The passed deadline first, then the nearest, then the case without a deadline.
    links = [f'href="/organization/inspections/cases/{i}"' for i in (late, soon, referred)]
    assert [section.index(link) for link in links] == sorted(section.index(x) for x in links)
    assert f"cases/{closed}" not in section
    assert f"cases/{other}" not in section
    assert "5 days left" in section
    assert "passed 2 days ago" in section
    assert "Nota pemeriksaan II" in section
    assert "no deadline" in section


def test_hr_overview_without_open_cases_has_no_section(client, factory, org):
    _case(factory, org.id, None, CaseStage.CLOSED)
    login(client, org.hr_email)
    assert "open-cases-heading" not in text_of(client.get("/organization/inspections"))


@pytest.fixture
def admin(factory):
    return factory.user(Role.ADMIN)


def _extra_days(factory) -> list[date]:
    with factory.session() as session:
        return list(session.scalars(select(ExtraHoliday.day).order_by(ExtraHoliday.day)))


def test_only_admins_see_the_holidays(client, inspector):
    login(client, inspector.email)
    assert client.get(HOLIDAYS).status_code == 404  # `roles`: other roles do not see it exists
    response = client.post(HOLIDAYS, data={"csrf_token": csrf_token(client, "/inspections")})
    assert response.status_code == 404


def test_admin_adds_and_removes_a_late_announced_holiday(client, factory, admin):
    login(client, admin.email)
    page = text_of(client.get(HOLIDAYS))
    next_library = min(
        d
        for year in (today().year, today().year + 1)
        for d in library_holidays(year)
        if d >= today()
    )
    assert str(escape(library_holidays(next_library.year, "en_US")[next_library])) in page
    day = add_working_days(today(), 3)  # a working day, so adding it changes deadlines
    response = _post(client, HOLIDAYS, {"day": day.isoformat(), "name": "Hari Pilkada"}, HOLIDAYS)
    assert response.status_code == 302
    assert _extra_days(factory) == [day]
    page = text_of(client.get(HOLIDAYS))
    assert "Hari Pilkada" in page
    assert "Added by an administrator" in page
    [audited] = _audit(factory, "inspection.holiday_added")
    assert audited == {"day": day.isoformat(), "name": "Hari Pilkada"}

    response = _post(client, f"{HOLIDAYS}/remove", {"day": day.isoformat()}, HOLIDAYS)
    assert response.status_code == 302
    assert _extra_days(factory) == []
    assert _audit(factory, "inspection.holiday_removed") == [audited]


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("past", "Choose today or a later date"),
        ("library", "is already in the list"),
        ("extra", "is already in the list"),
        ("malformed", "Enter a date like"),
        ("empty", "Enter the date of the holiday."),
    ],
)
def test_bad_holidays_are_refused_on_the_field(client, factory, admin, which, message):
    existing = add_working_days(today(), 2)
    with factory.session() as session:
        session.add(ExtraHoliday(day=existing, name="Sudah ada"))
    library_day = min(
        d for year in (today().year + 1, today().year + 2) for d in library_holidays(year)
    )
    day = {
        "past": (today() - timedelta(days=1)).isoformat(),
        "library": library_day.isoformat(),
        "extra": existing.isoformat(),
        "malformed": "31-12-2027",
        "empty": "",
    }[which]
    login(client, admin.email)
    before = _audit(factory, "inspection.holiday_added")
    response = _post(client, HOLIDAYS, {"day": day, "name": "Libur"}, HOLIDAYS)
    assert response.status_code == 422
    text = text_of(response)
    assert 'id="day-error"' in text
    assert message in text
    assert _extra_days(factory) == [existing]
    assert _audit(factory, "inspection.holiday_added") == before


def test_a_past_added_holiday_cannot_be_removed(client, factory, admin):
    past = today() - timedelta(days=3)
    with factory.session() as session:
        session.add(ExtraHoliday(day=past, name="Sudah lewat"))
    login(client, admin.email)
    response = client.post(
        f"{HOLIDAYS}/remove",
        data={"csrf_token": csrf_token(client, HOLIDAYS), "day": past.isoformat()},
        follow_redirects=True,
    )
    assert "This day has passed" in text_of(response)
    assert _extra_days(factory) == [past]


def test_a_holiday_added_by_the_admin_moves_the_nota1_deadline(client, factory, org, admin):
    fill_year(factory, org.id, {org.establishment_ids[0]: 300})
    declaration_id = submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    extra = add_working_days(today(), 3)
    login(client, admin.email)
    _post(client, HOLIDAYS, {"day": extra.isoformat(), "name": "Cuti bersama tambahan"}, HOLIDAYS)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})

    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    response = _post(
        client, f"/inspections/declarations/{declaration_id}/finding", {"finding": "Kurang"}, page
    )
    assert response.status_code == 302
    with factory.session() as session:
        deadline = session.scalar(select(InspectionCase.deadline_on))
        assert session.scalar(select(func.count()).select_from(InspectionCase)) == 1
    assert deadline == add_working_days(today(), 30, {extra})
    assert deadline > add_working_days(today(), 30)


def test_the_hr_home_shows_an_open_case_and_its_next_deadline(client, factory, org):
    case_id = _case(factory, org.id, today() + timedelta(days=5))
    login(client, org.hr_email)
    home = text_of(client.get("/gap"))
    start = home.index('id="open-cases-heading"')
    section = home[start : home.index("</section>", start)]
    assert f'href="/organization/inspections/cases/{case_id}"' in section
    assert "5 days left" in section
