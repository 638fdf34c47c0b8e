"""The kept counts of summary rows per province and status (`ComplianceCount`) equal counting
the rows, after every kind of change, and the pages that read them (or sum a page's own rows)
agree with counting the rows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from compliance.models.inspections import ComplianceCount, ComplianceSummary
from compliance.models.organizations import Establishment
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.inspections import catch_up, rebuild_summaries, refresh_summary
from compliance.services.inspections.dashboard import (
    dashboard,
    headline,
    overdue_clause,
    status_counts,
)
from compliance.services.inspections.filters import DashboardFilters, StatusFilter
from compliance.services.inspections.rebuild import (
    next_batch,
    rebuild_batch,
    rebuild_progress,
)
from compliance.services.inspections.rollup import national
from compliance.services.inspections.summary import COMPLIANT
from tests.support.clock import today
from tests.support.declarations import fill_recent, submit_year
from tests.support.roster import make_employee

#: Date-sensitive: statuses and "overdue" follow the clock.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar

S = ComplianceSummary


def _kept(factory) -> Counter:
    with factory.session() as session:
        rows = session.scalars(select(ComplianceCount))
        return Counter(
            {
                (r.province_code, r.status, r.is_due_declared, r.due_on, r.zone): r.organizations
                for r in rows
                if r.organizations
            }
        )


def _counted(factory) -> Counter:
    """What the kept counts stand for, counted from the summary rows themselves."""
    key = (S.province_code, S.status, S.is_due_declared, S.due_on, S.zone)
    with factory.session() as session:
        rows = session.execute(select(*key, func.count()).group_by(*key))
        return Counter({(p, s, bool(d), due, z): n for p, s, d, due, z, n in rows})


def _same(factory) -> None:
    counted = _counted(factory)
    assert counted  # something to compare
    assert _kept(factory) == counted


def test_kept_counts_equal_the_rows_after_every_kind_of_change(factory):
    jakarta = factory.org(name="PT Dua Provinsi", regency="31.71", other_regencies=("35.78",))
    bandung = factory.org(name="PT Bandung", regency="32.73")
    with factory.session() as session:  # new organisations, found by the catch-up
        assert catch_up(session, today=today()) == 2
    _same(factory)

    fill_recent(factory, jakarta.id, {jakarta.establishment_ids[0]: 300})  # figures
    fill_recent(factory, bandung.id, {bandung.establishment_ids[0]: 120})
    with factory.session() as session:
        catch_up(session, today=today())
    _same(factory)

    submit_year(factory, bandung.id)  # a declaration: declared, filed status
    with factory.session() as session:
        refresh_summary(session, bandung.id, today=today())
    _same(factory)

    with factory.session() as session:  # an establishment in a third province
        session.add(
            Establishment(organization_id=bandung.id, name="Cabang Medan", regency_code="12.71")
        )
        session.flush()
        refresh_summary(session, bandung.id, today=today())
    _same(factory)
    assert {p for p, *_ in _kept(factory)} == {"12", "31", "32", "35"}

    with factory.session() as session:  # the Surabaya branch moves to Bandung
        branch = session.get(Establishment, jakarta.establishment_ids[1])
        branch.regency_code = "32.73"
        session.flush()
        refresh_summary(session, jakarta.id, today=today())
    _same(factory)
    assert "35" not in {p for p, *_ in _kept(factory)}

    later = today() + timedelta(days=400)  # time alone: statuses move on at a refresh
    with factory.session() as session:
        refresh_summary(session, jakarta.id, today=later)
    _same(factory)

    with factory.session() as session:  # a nightly rebuild, stopped after its first batch
        progress = rebuild_progress(session, restart=True)
        ids = next_batch(session, progress.organization_id)
        rebuild_batch(session, ids[:1], today=today())
    _same(factory)

    with factory.session() as session:  # and a whole one
        rebuild_summaries(session, today=today())
    _same(factory)


def test_pages_reading_the_kept_counts_agree_with_the_rows(factory):
    """The national summary and an inspector's unfiltered headline read the kept counts; at
    any instant (overdue follows the clock) they equal counting the rows."""
    first = factory.org(regency="31.71", other_regencies=("35.78",))
    factory.org(regency="31.74")
    factory.org(regency="35.78")
    fill_recent(factory, first.id, {first.establishment_ids[0]: 200})
    with factory.session() as session:
        catch_up(session, today=today())
    now = datetime.now(UTC)
    for at in (now, now + timedelta(days=200), now + timedelta(days=400)):
        with factory.session() as session:
            per_province = {
                code: (n, late)
                for code, n, late in session.execute(
                    select(
                        S.province_code,
                        func.count(),
                        func.count().filter(overdue_clause(at)),
                    ).group_by(S.province_code)
                )
            }
            rows = national(session, at=at)
            assert {r.code: (r.organizations, r.overdue) for r in rows} == per_province
            for code, (n, late) in per_province.items():
                with reach_scope(session, Reach(province_codes=frozenset({code}))):
                    figures = headline(session, DashboardFilters(), at, frozenset({code}))
                assert (figures.organizations, figures.overdue) == (n, late)
    assert per_province["31"][0] == 2
    assert per_province["35"][0] == 2


def test_a_first_page_holding_every_match_sums_the_same_as_the_filters(factory):
    """The dashboard sums a first page with room to spare from its own rows; the figures are
    those of the filters, for one province and for two (an organisation in both is one row)."""
    both = factory.org(name="PT Cari Dua", regency="31.71", other_regencies=("35.78",))
    factory.org(name="PT Cari Satu", regency="35.78")
    factory.org(name="PT Lain", regency="31.74")
    fill_recent(factory, both.id, {both.establishment_ids[0]: 400})
    with factory.session() as session:
        catch_up(session, today=today())
    at = datetime.now(UTC) + timedelta(days=400)  # some of them overdue by then
    for codes in ({"31"}, {"35"}, {"31", "35"}):
        provinces = frozenset(codes)
        for filters in (
            DashboardFilters(query="cari"),
            DashboardFilters(query="PT"),
            DashboardFilters(status=StatusFilter.OVERDUE),
            DashboardFilters(query="nothing like it"),
        ):
            reach = Reach(province_codes=provinces)
            with factory.session() as session, reach_scope(session, reach):
                board = dashboard(session, filters, provinces, at=at)
                direct = headline(session, filters, at, provinces)
            assert len(board.rows) < 50  # the case under test
            assert board.headline == direct, (codes, filters)
            assert board.total == len(board.rows)
    assert direct.organizations == 0


def test_the_kept_counts_are_seen_within_reach_only(factory):
    """Counts per province are tenant data: an inspector reads their provinces' only, an
    admin all, an HR manager and a registry officer none."""
    factory.org(regency="31.71")
    factory.org(regency="35.78")
    with factory.session() as session:
        catch_up(session, today=today())
    reaches = {
        "inspector of 31": Reach(province_codes=frozenset({"31"})),
        "admin": Reach.for_everything(),
        "HR manager": Reach(organization_id=1),
        "registry officer": Reach(regency_codes=frozenset({"31.71"})),
    }
    seen = {}
    for who, reach in reaches.items():
        with factory.session() as session, reach_scope(session, reach):
            seen[who] = {r.province_code for r in session.scalars(select(ComplianceCount))}
    assert seen == {
        "inspector of 31": {"31"},
        "admin": {"31", "35"},
        "HR manager": set(),
        "registry officer": set(),
    }


def test_share_compliant_is_the_same_with_a_filter_or_without(factory):
    """The headline's compliant organisations are those whose status of record is compliant,
    whether they come from the running totals (no filter), from a filter, or from a first
    page's own rows: a filter matching everyone gives the unfiltered headline."""
    good = factory.org(name="PT Patuh", regency="31.71")
    fill_recent(factory, good.id, {good.establishment_ids[0]: 50})
    make_employee(factory, good.id, number="E-1", details=True)
    submit_year(factory, good.id)
    short = factory.org(name="PT Kurang", regency="31.74")
    fill_recent(factory, short.id, {short.establishment_ids[0]: 400})
    submit_year(factory, short.id)
    with factory.session() as session:
        catch_up(session, today=today())
    at, provinces = datetime.now(UTC), frozenset({"31"})
    with factory.session() as session, reach_scope(session, Reach(province_codes=provinces)):
        compliant = session.scalar(
            select(func.count()).where(S.status == COMPLIANT, S.province_code == "31")
        )
        unfiltered = headline(session, DashboardFilters(), at, provinces)
        everyone = headline(session, DashboardFilters(query="PT"), at, provinces)
        page = dashboard(session, DashboardFilters(query="PT"), provinces, at=at).headline
    assert compliant == 1
    assert unfiltered.compliant == everyone.compliant == page.compliant == compliant
    assert everyone == unfiltered
    assert everyone.compliant_percent == 50


def test_counts_by_status_in_one_pass_equal_each_status_filter(factory):
    """The inspector's home counts three statuses in one pass (`status_counts`): each equals
    the dashboard's headline with that status filter, for every status, one province or two,
    and at instants where due dates have passed."""
    both = factory.org(name="PT Dua", regency="31.71", other_regencies=("35.78",))
    filed = factory.org(name="PT Lapor", regency="31.74")
    factory.org(name="PT Baru", regency="35.78")
    fill_recent(factory, both.id, {both.establishment_ids[0]: 400})
    fill_recent(factory, filed.id, {filed.establishment_ids[0]: 50})
    make_employee(factory, filed.id, number="E-1", details=True)
    submit_year(factory, filed.id)
    with factory.session() as session:
        catch_up(session, today=today())
    statuses = tuple(StatusFilter)
    now = datetime.now(UTC)
    for at in (now, now + timedelta(days=400)):
        for codes in ({"31"}, {"35"}, {"31", "35"}):
            provinces = frozenset(codes)
            with (
                factory.session() as session,
                reach_scope(session, Reach(province_codes=provinces)),
            ):
                counted = status_counts(session, at, provinces, statuses)
                one_by_one = {
                    s: headline(session, DashboardFilters(status=s), at, provinces).organizations
                    for s in statuses
                }
            assert counted == one_by_one, (at, codes)
    assert sum(counted.values()) > 0
