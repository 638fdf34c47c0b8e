"""The maintained compliance summary: what `refresh_summary` stores and how `catch_up` finds
organisations changed since the last look."""

from __future__ import annotations

from datetime import date

from compliance.models.inspections import SummaryMonth
from compliance.services.inspections import catch_up, rebuild_summaries, refresh_summary
from compliance.services.inspections.flags import HEADCOUNT_JUMP, UNVERIFIED_EVIDENCE
from compliance.services.inspections.summary import summary_of
from compliance.services.workforce import record_monthly_figures
from tests.support.declarations import PRIVATE_TYPES, TODAY, fill_year, hr_of, submit_year
from tests.support.roster import make_employee


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
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    with factory.session() as session:
        refresh_summary(session, org.id, today=TODAY)
    summary = _summary(factory, org.id)
    # LAW.md: private, 250 workers -> required 3; one person counted -> gap 2.
    assert summary["required"] == 3
    assert summary["counted"] == 1
    assert summary["gap"] == 2
    assert summary["status"] == "shortfall"
    assert summary["headcount"] == 250
    assert summary["as_of"] == date(2025, 12, 1)  # January 2026 has no figures yet
    assert summary["months"] == 11  # February..December 2025 of the 12-month window
    assert summary["has_declared"] is False
    assert summary["due_year"] == 2024  # 2025 falls due at the end of January 2026
    assert UNVERIFIED_EVIDENCE in summary["flags"]


def test_no_figures_is_insufficient_data_ranked_last(factory):
    org = factory.org()
    with factory.session() as session:
        refresh_summary(session, org.id, today=TODAY)
    summary = _summary(factory, org.id)
    assert summary["status"] == "insufficient_data"
    assert summary["gap"] == -1
    assert summary["months"] == 0


def test_headcount_jump_is_flagged(factory):
    org = factory.org()
    (establishment,) = org.establishment_ids
    fill_year(factory, org.id, {establishment: 100})
    with factory.session() as session:
        counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": 400}
        record_monthly_figures(
            session, hr_of(session, org.id), establishment, date(2025, 6, 1), counts, today=TODAY
        )
        refresh_summary(session, org.id, today=TODAY)
    assert HEADCOUNT_JUMP in _summary(factory, org.id)["flags"]


def test_catch_up_refreshes_changed_and_missing_organisations(factory):
    org = factory.org()
    (establishment,) = org.establishment_ids
    with factory.session() as session:
        assert catch_up(session, today=TODAY) == 1  # no summary yet
        assert catch_up(session, today=TODAY) == 0  # nothing changed since
    assert _summary(factory, org.id)["status"] == "insufficient_data"
    fill_year(factory, org.id, {establishment: 100})  # writes audit events
    with factory.session() as session:
        assert catch_up(session, today=TODAY) == 1
    assert _summary(factory, org.id)["required"] == 1
    submit_year(factory, org.id)
    with factory.session() as session:
        assert catch_up(session, today=TODAY) == 1
        assert catch_up(session, today=TODAY) == 0
    assert _summary(factory, org.id)["has_declared"] is True


def test_rebuild_counts_every_organisation(factory):
    factory.org()
    factory.org()
    with factory.session() as session:
        assert rebuild_summaries(session, today=TODAY) == 2
        assert catch_up(session, today=TODAY) == 0


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
    fill_year(factory, a.id, {a.establishment_ids[0]: 300, a.establishment_ids[1]: 200})
    fill_year(factory, b.id, {b.establishment_ids[0]: 90})
    with factory.session() as session:
        catch_up(session, today=TODAY)
    make_employee(factory, b.id, details=True)
    fill_year(factory, a.id, {a.establishment_ids[0]: 800})
    with factory.session() as session:
        catch_up(session, today=TODAY)
    incremental = _totals(factory)
    with factory.session() as session:
        rebuild_summaries(session, today=TODAY)
    assert incremental == _totals(factory)
    # Jakarta holds both organisations; Surabaya only `a`, with its entity-level figures.
    latest = date(1900, 1, 1)
    assert incremental[("31", latest)][0] == 2
    assert incremental[("35", latest)] == incremental[("35.78", latest)]
    assert incremental[("35", latest)][2] == 10  # ceil(1% of 1,000)
