"""The organisation's WLKP month: who may change it, what it moves, and what it leaves alone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from compliance.models import AuditEvent, Organization
from compliance.models.declarations import ReportingPeriod
from compliance.services.declarations import open_declaration
from tests.support.declarations import fill_year, hr_of, submit_year
from tests.support.web import login, post_form, text_of

#: Date-sensitive: due dates move with the organisation's due month.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _due_dates(factory, organization_id: int) -> dict[str, date]:
    with factory.session() as session:
        periods = session.scalars(
            select(ReportingPeriod).where(ReportingPeriod.organization_id == organization_id)
        )
        return {p.label: p.due_on for p in periods}


def test_changing_the_month_moves_open_periods_but_not_submitted_ones(client, factory):
    org = factory.org()
    fill_year(factory, org.id, {org.establishment_ids[0]: 150}, year=2024)
    submit_year(factory, org.id, year=2024)
    with factory.session() as session:
        open_declaration(session, hr_of(session, org.id), 2025, today=date(2026, 1, 15))
    assert _due_dates(factory, org.id) == {"2024": date(2025, 1, 31), "2025": date(2026, 1, 31)}

    login(client, org.hr_email)
    page = text_of(client.get("/organization"))
    assert "Month your WLKP report is due" in page
    response = post_form(
        client, "/organization/due-month", {"due_month": "3"}, token_from="/organization"
    )
    assert response.status_code == 302
    assert "Deadlines moved: 1." in text_of(client.get("/organization"))
    assert _due_dates(factory, org.id) == {"2024": date(2025, 1, 31), "2025": date(2026, 3, 31)}
    with factory.session() as session:
        assert session.get(Organization, org.id).wlkp_due_month == 3
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.due_month_changed")
        )
        assert event.data == {"old": 1, "new": 3, "periods_moved": ["2025"]}


@pytest.mark.parametrize("value", ["13", "0", "March", ""])
def test_a_month_outside_the_year_is_refused_on_the_field(client, factory, value):
    org = factory.org()
    login(client, org.hr_email)
    response = post_form(
        client, "/organization/due-month", {"due_month": value}, token_from="/organization"
    )
    assert response.status_code == 422
    assert re.search(
        r'id="due_month-error">\s*<span[^>]*>Error:</span>\s*Choose a month from the list.',
        text_of(response),
    )
    with factory.session() as session:
        assert session.get(Organization, org.id).wlkp_due_month == 1
        assert not session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.due_month_changed")
        )
