"""The maintained compliance summary: what `refresh_summary` stores and how `catch_up` finds
organisations changed since the last look."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.models.inspections import SummaryMonth
from compliance.models.organizations import Organization
from compliance.services.dates import previous_month
from compliance.services.declarations.status import period_status, ranked_year
from compliance.services.inspections import catch_up, rebuild_summaries, refresh_summary
from compliance.services.inspections.flags import HEADCOUNT_JUMP, UNVERIFIED_EVIDENCE
from compliance.services.inspections.summary import summary_of
from compliance.services.workforce import record_monthly_figures
from tests.support.clock import last_year, today
from tests.support.declarations import PRIVATE_TYPES, fill_recent, hr_of, submit_year
from tests.support.roster import make_employee

#: Date-sensitive: the summary keeps the latest complete month and the last period due.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


def _summary(factory, org_id: int) -> dict:
    with factory.session() as session:
        row = summary_of(session, org_id)
        if row is None:
            return {}
        months = session.query(SummaryMonth).filter_by(organization_id=org_id).count()
        return {
            "gap": row.gap,
            "required": row.required,
            "counted": row.counted,
            "status": row.status,
            "headcount": row.headcount,
            "as_of": row.as_of_month,
            "has_declared": row.has_declared,
            "due_year": row.due_year,
            "flags": row.flags,
            "months": months,
        }


def test_summary_has_the_latest_complete_month(factory):
    org = factory.org(name="PT Dua Kota", regency="31.71", other_regencies=("35.78",))
    jakarta, surabaya = org.establishment_ids
    make_employee(factory, org.id, details=True)
    fill_recent(factory, org.id, {jakarta: 150, surabaya: 100})
    with factory.session() as session:
        refresh_summary(session, org.id, today=today())
    summary = _summary(factory, org.id)
    # One truth: the ranked period's figures are its status of record, nothing else.
    with factory.session() as session:
        organization = session.get(Organization, org.id)
        year = ranked_year(session, organization, today())
        record = period_status(session, organization, year, today=today())
    assert summary["due_year"] == year
    assert summary["status"] == record.key
    assert (summary["required"], summary["counted"], summary["gap"]) == (
        record.result.required,
        record.result.counted or 0,
        -1 if record.result.gap is None else record.result.gap,
    )
    if record.months_complete:
        # LAW.md: private, 250 workers -> required 3; one person counted -> gap 2.
        assert (summary["required"], summary["counted"], summary["gap"]) == (3, 1, 2)
    assert summary["headcount"] == 250
    assert summary["as_of"] == previous_month(today())  # this month has not ended yet
    assert summary["months"] == 11  # the 12-month window but this month
    assert summary["has_declared"] is False
    # The last period that has fallen due (last year's once its 31 January has passed), and
    # before that the first one the organisation is on record for: its figures begin last
    # year, so last year's either way.
    assert year == last_year()
    assert UNVERIFIED_EVIDENCE in summary["flags"]


def test_a_newcomer_without_figures_is_ranked_last_on_its_open_period(factory):
    org = factory.org()
    with factory.session() as session:
        refresh_summary(session, org.id, today=today())
    summary = _summary(factory, org.id)
    assert summary["status"] == "open"
    assert summary["due_year"] == today().year
    assert summary["gap"] == -1
    assert summary["months"] == 0


def test_headcount_jump_is_flagged(factory):
    org = factory.org()
    (establishment,) = org.establishment_ids
    fill_recent(factory, org.id, {establishment: 100})
    with factory.session() as session:
        counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": 400}
        record_monthly_figures(
            session,
            hr_of(session, org.id),
            establishment,
            previous_month(today()),
            counts,
            today=today(),
        )
        refresh_summary(session, org.id, today=today())
    assert HEADCOUNT_JUMP in _summary(factory, org.id)["flags"]


def test_catch_up_refreshes_changed_and_missing_organisations(factory):
    org = factory.org()
    (establishment,) = org.establishment_ids
    with factory.session() as session:
        assert catch_up(session, today=today()) == 1  # no summary yet
        assert catch_up(session, today=today()) == 0  # nothing changed since
    assert _summary(factory, org.id)["status"] == "open"
    fill_recent(factory, org.id, {establishment: 100})  # writes audit events
    with factory.session() as session:
        assert catch_up(session, today=today()) == 1
    assert _summary(factory, org.id)["required"] == 1
    submit_year(factory, org.id)
    with factory.session() as session:
        assert catch_up(session, today=today()) == 1
        assert catch_up(session, today=today()) == 0
    assert _summary(factory, org.id)["has_declared"] is True


def test_rebuild_counts_every_organisation(factory):
    factory.org()
    factory.org()
    with factory.session() as session:
        assert rebuild_summaries(session, today=today()) == 2
        assert catch_up(session, today=today()) == 0


def _totals(factory) -> dict:
    from compliance.models.inspections import ComplianceTotal

    with factory.session() as session:
        rows = session.query(ComplianceTotal).all()
        return {
            (r.area_code, r.month): (r.organizations, r.compliant, r.required, r.counted)
            for r in rows
            if r.organizations
        }


def test_running_totals_match_a_rebuild_after_changes(factory):
    a = factory.org(regency="31.71", other_regencies=("35.78",))
    b = factory.org(regency="31.74")
    fill_recent(factory, a.id, {a.establishment_ids[0]: 300, a.establishment_ids[1]: 200})
    fill_recent(factory, b.id, {b.establishment_ids[0]: 90})
    with factory.session() as session:
        catch_up(session, today=today())
    make_employee(factory, b.id, details=True)
    fill_recent(factory, a.id, {a.establishment_ids[0]: 800})
    with factory.session() as session:
        catch_up(session, today=today())
    incremental = _totals(factory)
    with factory.session() as session:
        rebuild_summaries(session, today=today())
    assert incremental == _totals(factory)
    # Jakarta holds both organisations; Surabaya only `a`, with its entity-level figures.
    latest = date(1900, 1, 1)
    assert incremental[("31", latest)][0] == 2
    assert incremental[("35", latest)] == incremental[("35.78", latest)]
    assert incremental[("35", latest)][2] == 10  # ceil(1% of 1,000)
