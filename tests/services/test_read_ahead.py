"""Computing many organisations from rows read ahead for all of them (the nightly jobs):
the same results as reading each one, fewer statements, and never stale or out of reach."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from compliance.extensions import db
from compliance.models import Organization, Reach
from compliance.models.tenancy import reach_scope
from compliance.services import NotFound
from compliance.services.consent import withdraw_consent
from compliance.services.declarations.computation import compute, computing_ahead
from compliance.services.declarations.status import Standing, first_year, period_status
from compliance.services.workforce import monthly_figures, record_monthly_figures
from tests.support.clock import last_year
from tests.support.declarations import PRIVATE_TYPES, fill_year, hr_of, submit_year
from tests.support.roster import make_employee


@pytest.fixture
def companies(factory):
    """Four different organisations: two provinces and a roster, a government body, one
    whose consent was withdrawn, and one with a month missing."""
    two = factory.org(name="PT Dua Kota", regency="31.71", other_regencies=("35.78",))
    fill_year(factory, two.id, dict.fromkeys(two.establishment_ids, 120))
    make_employee(factory, two.id, number="E-1", name="Sari Dewi", details=True)
    make_employee(factory, two.id, number="E-2", name="Budi Santoso", details=True)
    government = factory.org(name="Dinas Contoh", sector="central_government")
    withdrawn = factory.org(name="PT Tarik")
    fill_year(factory, withdrawn.id, {withdrawn.establishment_ids[0]: 90})
    employee = make_employee(factory, withdrawn.id, number="W-1", details=True)
    with factory.session() as session:
        withdraw_consent(session, hr_of(session, withdrawn.id), employee)
    gap = factory.org(name="PT Bolong")
    fill_year(
        factory, gap.id, {gap.establishment_ids[0]: 300}, skip={(gap.establishment_ids[0], 5)}
    )
    return [two.id, government.id, withdrawn.id, gap.id]


def _months() -> list[date]:
    return [date(last_year(), m, 1) for m in range(1, 13)]


def _results(ids: list[int]) -> list[tuple[object, ...]]:
    found = []
    for organization_id in ids:
        organization = db.session.get(Organization, organization_id)
        computation = compute(
            db.session, organization, _months(), label="year", today=date(last_year() + 1, 2, 1)
        )
        found.append(
            (
                computation.entity.to_dict(),
                computation.input_sha256,
                computation.missing(),
                [(e.establishment_id, r.to_dict()) for e, r in computation.establishments],
                [(code, name, r.to_dict()) for code, name, r in computation.provinces],
                [(p.employee_id, p.name, p.details) for p in computation.people],
                first_year(db.session, organization),
            )
        )
    return found


def _statements(app) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_read_ahead_gives_exactly_what_reading_each_organisation_gives(app, companies):
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        one_by_one = _results(companies)
        db.session.expire_all()
        with computing_ahead(db.session, companies, _months()):
            ahead = _results(companies)
    assert ahead == one_by_one
    assert one_by_one[0][0]["status"] == "shortfall"  # the results are real, not empty
    # The first year on record: last year's figures, or this year's registration without any.
    assert [found[-1] for found in ahead] == [
        last_year(),
        last_year() + 1,
        last_year(),
        last_year(),
    ]


def test_read_ahead_reads_a_batch_in_a_few_statements(app, factory, companies):
    more = [factory.org().id for _ in range(6)]
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        for organization_id in companies + more:  # load the organisations first
            db.session.get(Organization, organization_id)
        seen = _statements(app)
        with computing_ahead(db.session, companies + more, _months()):
            _results(companies + more)
    reads = [s for s in seen if "workforce_figures" in s or "FROM employees" in s]
    # Figures, the first month of figures, everyone, the details of those with consent.
    assert len(reads) == 4


def test_a_change_to_the_figures_is_seen_at_once(app, companies):
    organization_id = companies[0]
    with (
        app.app_context(),
        reach_scope(db.session, Reach.for_everything()),
        computing_ahead(db.session, companies, _months()),
    ):
        before = monthly_figures(db.session, organization_id, _months())
        establishment = before.establishments[0].establishment_id
        hr = hr_of(db.session, organization_id)
        counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": 7}
        record_monthly_figures(
            db.session, hr, establishment, date(last_year(), 3, 1), counts,
            today=date(last_year() + 1, 1, 15),
        )  # fmt: skip
        db.session.flush()
        after = monthly_figures(db.session, organization_id, _months())
    march = date(last_year(), 3, 1)
    assert before.establishment(establishment).recorded(march)["permanent"] == 120
    assert after.establishment(establishment).recorded(march)["permanent"] == 7


def test_rows_read_ahead_never_answer_under_another_organisations_reach(app, companies):
    ours, theirs = companies[0], companies[2]
    with app.app_context():
        with reach_scope(db.session, Reach.for_everything()):
            ahead = computing_ahead(db.session, companies, _months())
            ahead.__enter__()
        try:
            with reach_scope(db.session, Reach(organization_id=ours)):
                assert monthly_figures(db.session, ours, _months()).organization_id == ours
                with pytest.raises(NotFound):
                    monthly_figures(db.session, theirs, _months())
        finally:
            ahead.__exit__(None, None, None)


def test_months_not_read_ahead_are_read_as_usual(app, companies):
    organization_id = companies[0]
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        with computing_ahead(db.session, companies, _months()[:6]):
            figures = monthly_figures(db.session, organization_id, _months())
        assert figures == monthly_figures(db.session, organization_id, _months())
    assert not figures.missing(date(last_year(), 12, 1))


def test_the_status_of_record_from_periods_read_ahead_is_the_same(app, factory, companies):
    """With `periods`, the status of record takes each organisation's reporting periods from
    the chunk: the same statuses (filed, overdue, open), without a query a period."""
    filed = companies[0]
    submit_year(factory, filed)
    today = date(last_year() + 1, 2, 15)  # last year's period has fallen due
    years = (last_year() - 1, last_year(), last_year() + 1)
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        one_by_one = [
            period_status(db.session, db.session.get(Organization, i), y, today=today)
            for i in companies
            for y in years
        ]
        db.session.expire_all()
        for organization_id in companies:
            db.session.get(Organization, organization_id)
        with computing_ahead(db.session, companies, _months(), periods=True):
            seen = _statements(app)
            ahead = [
                period_status(db.session, db.session.get(Organization, i), y, today=today)
                for i in companies
                for y in years
            ]
    assert ahead == one_by_one
    assert {s.standing for s in ahead} >= {Standing.SUBMITTED, Standing.OVERDUE, Standing.OPEN}
    assert not [s for s in seen if "FROM reporting_periods" in s]
