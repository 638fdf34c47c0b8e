"""One status of record: each situation reads the same on every page that shows it.

A scenario builds an organisation's history through the real services, then the status
service's answer for the period is read back from the HR manager's declarations list and home,
the inspector's ranking and drill-down, and the deadline reminders. Years are relative to the
frozen instant, so the table runs at every instant of the calendar sweep.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select, update

from compliance.clock import utcnow
from compliance.models import Declaration, Establishment, Organization, Role
from compliance.models.organizations import Sector
from compliance.services.declarations import correct_declaration, submit_declaration
from compliance.services.declarations.status import FollowUp, period_status
from compliance.services.inspections import rebuild_summaries
from compliance.services.inspections.pack_content import gather
from compliance.services.inspections.pack_files import RECORD_TEXT, summary_rows
from compliance.services.inspections.review import request_correction
from tests.support.clock import last_year, today
from tests.support.declarations import fill_year, hr_of, submit_year
from tests.support.roster import make_employee
from tests.support.web import login, text_of

pytestmark = pytest.mark.calendar

LABELS = {
    "filed_compliant": "Filed: compliant",
    "filed_shortfall": "Filed: shortfall",
    "open": "Open: not due yet",
    "overdue": "Overdue: not filed",
    "not_obliged": "Not obliged",
}


@dataclass(frozen=True)
class Expected:
    year: int
    key: str
    required: int | None = None
    counted: int | None = None
    follow_up: FollowUp | None = None
    late_filing: bool = False
    months: int | None = None


def _due_passed(year: int) -> bool:
    """Whether `year`'s declaration (due 31 January of the next year) is past due today."""
    return today() > date(year + 1, 1, 31)


def _submit_on_15_january(factory, org) -> None:
    """File last year's declaration on 15 January, before its due date (31 January)."""
    with time_machine.travel(datetime(last_year() + 1, 1, 15, 3, 0, tzinfo=UTC), tick=False):
        submit_year(factory, org.id)


def filed_on_time(factory, org) -> Expected:
    fill_year(factory, org.id, {org.establishment_ids[0]: 150})
    _submit_on_15_january(factory, org)
    return Expected(last_year(), "filed_shortfall", required=2, counted=0)


def filed_late(factory, org) -> Expected:
    year = last_year() - 1  # due 31 January of last year: long past
    fill_year(factory, org.id, {org.establishment_ids[0]: 150}, year=year)
    with factory.session() as session:
        from compliance.services.declarations import open_declaration

        hr = hr_of(session, org.id)
        draft = open_declaration(session, hr, year)
        submit_declaration(session, hr, draft.id, draft.revision, None)
    return Expected(year, "filed_shortfall", required=2, counted=0, late_filing=True)


def filed_compliant(factory, org) -> Expected:
    make_employee(factory, org.id, details=True, number="E-001")
    make_employee(factory, org.id, details=True, number="E-002", name="Budi Santoso")
    fill_year(factory, org.id, {org.establishment_ids[0]: 150})
    _submit_on_15_january(factory, org)
    return Expected(last_year(), "filed_compliant", required=2, counted=2)


def correction_requested(factory, org) -> Expected:
    filed_on_time(factory, org)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        declaration_id = session.scalar(
            select(Declaration.id).where(Declaration.organization_id == org.id)
        )
        actor = session.get(type(hr_of(session, org.id)), inspector.id)
        request_correction(session, actor, declaration_id, "Jakarta headcount looks wrong")
    return Expected(
        last_year(),
        "filed_shortfall",
        required=2,
        counted=0,
        follow_up=FollowUp.CORRECTION_REQUESTED,
    )


def corrected(factory, org) -> Expected:
    correction_requested(factory, org)
    fill_year(factory, org.id, {org.establishment_ids[0]: 250})
    with factory.session() as session:
        hr = hr_of(session, org.id)
        first = session.scalar(select(Declaration.id).where(Declaration.organization_id == org.id))
        fix = correct_declaration(session, hr, first, "Headcount corrected")
        submit_declaration(session, hr, fix.id, fix.revision, None)
    return Expected(last_year(), "filed_shortfall", required=3, counted=0)


def not_filed(factory, org) -> Expected:
    fill_year(factory, org.id, {org.establishment_ids[0]: 150})
    key = "overdue" if _due_passed(last_year()) else "open"
    return Expected(last_year(), key, required=2, counted=0, months=12)


def overdue_two_years(factory, org) -> Expected:
    year = last_year() - 1
    fill_year(factory, org.id, {org.establishment_ids[0]: 150}, year=year)
    return Expected(year, "overdue", required=2, counted=0, months=12)


def newcomer(factory, org) -> Expected:
    """Registered now, nothing recorded: last year is not its to file; this year is open,
    with no month recorded yet."""
    with factory.session() as session:
        earlier = period_status(session, session.get(Organization, org.id), last_year())
    assert earlier.key == "not_obliged"
    return Expected(today().year, "open", months=0)


def month_missing(factory, org) -> Expected:
    """Two establishments; one has no figures for March: the result runs over 11 months."""
    head, branch = org.establishment_ids
    fill_year(factory, org.id, {head: 100, branch: 50}, skip={(branch, 3)})
    key = "overdue" if _due_passed(last_year()) else "open"
    return Expected(last_year(), key, required=2, counted=0, months=11)


def closed_establishment(factory, org) -> Expected:
    """The branch closed on 30 June: its figures end there, and the months after it are not
    missing (the result still runs over all twelve)."""
    head, branch = org.establishment_ids
    year = last_year()
    fill_year(factory, org.id, {head: 100, branch: 50}, skip={(branch, m) for m in range(7, 13)})
    with factory.session() as session:
        session.execute(
            update(Establishment)
            .where(Establishment.id == branch)
            .values(closed_at=datetime(year, 6, 30, 5, 0, tzinfo=UTC).replace(tzinfo=None))
        )
    key = "overdue" if _due_passed(year) else "open"
    # 150 workers for six months (2 required), 100 for six (1): 1.5 on average, 2 people.
    return Expected(year, key, required=2, counted=0, months=12)


def sector_changed(factory, org) -> Expected:
    """Filed as a private company (1 %), then the sector is corrected to a regional
    enterprise (2 %): the filed period keeps what was declared."""
    filed_on_time(factory, org)
    with factory.session() as session:
        session.execute(
            update(Organization).where(Organization.id == org.id).values(sector=Sector.REGIONAL_SOE)
        )
    return Expected(last_year(), "filed_shortfall", required=2, counted=0)


SCENARIOS: dict[str, tuple[Callable, dict]] = {
    "filed on time": (filed_on_time, {}),
    "filed late": (filed_late, {}),
    "filed, compliant": (filed_compliant, {}),
    "correction requested": (correction_requested, {}),
    "corrected": (corrected, {"other_regencies": ()}),
    "not filed yet": (not_filed, {}),
    "overdue two years back": (overdue_two_years, {}),
    "new organisation": (newcomer, {}),
    "a month missing": (month_missing, {"other_regencies": ("31.74",)}),
    "a branch closed mid-year": (closed_establishment, {"other_regencies": ("31.74",)}),
    "sector changed after filing": (sector_changed, {}),
}


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _check_pages(client, factory, org, expected: Expected) -> None:
    with factory.session() as session:
        organization = session.get(Organization, org.id)
        record = period_status(session, organization, expected.year)
    # The service itself.
    assert record.key == expected.key
    assert record.follow_up == expected.follow_up
    assert record.is_late_filing == expected.late_filing
    if expected.required is not None:
        assert (record.result.required, record.result.counted) == (
            expected.required,
            expected.counted,
        )
    if expected.months is not None:
        assert record.months_complete == expected.months
    # The evidence pack prints it in both languages.
    with factory.session() as session:
        content = gather(session, org.id, expected.year, named=None, now=utcnow())
        printed = dict(summary_rows(content))["Status catatan (Status of record)"]
        words = RECORD_TEXT[expected.key]  # the catalogue's words: read in the app's context
    assert printed.startswith(words), printed

    label = LABELS[expected.key]
    people = None
    if expected.required is not None:
        people = f"{expected.required} people required, {expected.counted} counted"

    # The HR manager: the declarations list, and the home page for what needs action.
    login(client, org.hr_email)
    page = text_of(client.get("/declarations"))
    row = _row(page, str(expected.year))
    assert label in row, row
    if people:
        assert people in row, row
    if expected.follow_up is FollowUp.CORRECTION_REQUESTED:
        assert "Correction requested by the inspector" in row
    home = _words(text_of(client.get("/gap")))
    listed = f"Period {expected.year}: {label}" in home
    assert listed == record.needs_action, home[:3000]
    client.post("/logout", data={"csrf_token": _token(client)})

    # The inspector: the drill-down, and the ranking when it ranks this period.
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        rebuild_summaries(session)
    login(client, inspector.email)
    drill = text_of(client.get(f"/inspections/organizations/{org.id}"))
    assert label in _row(drill, str(expected.year)), drill[:3000]
    board = text_of(client.get("/inspections"))
    from compliance.services.declarations.status import ranked_year

    with factory.session() as session:
        ranked = ranked_year(session, session.get(Organization, org.id), today())
    if ranked == expected.year:
        assert f"{expected.year}: {label}" in _row(board, org.name), _row(board, org.name)


def _row(page: str, first_cell: str) -> str:
    """The words of the table row whose first cell starts with `first_cell`."""
    for chunk in page.split("<tr")[1:]:
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", "<tr" + chunk)).split())
        if words.startswith(first_cell):
            return words.split("</tr")[0]
    raise AssertionError(f"no row for {first_cell!r}")


def _words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _token(client) -> str:
    from tests.support.web import csrf_token

    return csrf_token(client, "/declarations")


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_page_shows_the_same_status_of_record(client, factory, name):
    build, options = SCENARIOS[name]
    org = factory.org(name=f"PT Skenario {name.title()}", **options)
    expected = build(factory, org)
    _check_pages(client, factory, org, expected)


def test_a_december_sign_up_is_asked_only_for_months_that_ended(client, factory):
    """Signed up on 10 December: the period is open, runs over the months that have ended
    (none recorded yet), and December itself is never "missing"."""
    with time_machine.travel(datetime(2026, 12, 10, 3, 0, tzinfo=UTC), tick=False):
        org = factory.org(name="PT Desember")
        with factory.session() as session:
            record = period_status(session, session.get(Organization, org.id), 2026)
        assert (record.key, record.months_complete, record.days_left) == ("open", 0, 52)
        login(client, org.hr_email)
        home = _words(text_of(client.get("/gap")))
        assert "Period 2026: Open: not due yet" in home
        assert "0 of 12 months" in home
