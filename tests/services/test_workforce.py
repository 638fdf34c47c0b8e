"""Establishments and monthly workforce figures, through the services and under an HR reach."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from compliance.extensions import db
from compliance.models import (
    AuditEvent,
    Establishment,
    Organization,
    Reach,
    Role,
    User,
    WorkforceFigure,
)
from compliance.models.tenancy import reach_scope
from compliance.quota import EmploymentType, Snapshot, Status, evaluate
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.establishments import (
    EstablishmentDetails,
    add_establishment,
    close_establishment,
    list_establishments,
    reopen_establishment,
    update_establishment,
)
from compliance.services.workforce import monthly_figures, record_monthly_figures
from tests.support.roster import make_employee

TODAY = date(2025, 6, 15)
MAY = date(2025, 5, 1)
APRIL = date(2025, 4, 1)
PERMANENT, FIXED = EmploymentType.PERMANENT, EmploymentType.FIXED_TERM


@contextmanager
def acting(app, user_id: int) -> Iterator[tuple[Session, User]]:
    """A session under the user's own reach, as a request has; committed on success."""
    with app.app_context():
        actor = db.session.scalar(
            select(User).where(User.id == user_id).execution_options(skip_tenant_scope=True)
        )
        with reach_scope(db.session, actor.reach()):
            yield db.session, actor
            db.session.commit()


def _hr_id(factory, org) -> int:
    with factory.session() as session:
        return session.scalar(select(User.id).where(User.email == org.hr_email))


def _events(factory, action: str) -> list[tuple[str | None, dict[str, Any]]]:
    with factory.session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        return [(e.target_id, e.data) for e in events]


def _figure_count(factory) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(WorkforceFigure))


def _record(app, user_id, establishment_id, month, counts):
    with acting(app, user_id) as (session, actor):
        return record_monthly_figures(session, actor, establishment_id, month, counts, today=TODAY)


# --- recording ------------------------------------------------------------------------------


def test_recording_stores_figures_and_audits_old_and_new(app, factory):
    org = factory.org()
    hr = _hr_id(factory, org)
    (head,) = org.establishment_ids
    changes = _record(app, hr, head, date(2025, 5, 20), {"permanent": 120, "fixed_term": 30})
    assert changes == {PERMANENT: (None, 120), FIXED: (None, 30)}
    changes = _record(app, hr, head, MAY, {"permanent": 125, "fixed_term": 30})
    assert changes == {PERMANENT: (120, 125)}
    assert _events(factory, "workforce.figures_recorded") == [
        (
            str(head),
            {"month": "2025-05", "changes": {"permanent": [None, 120], "fixed_term": [None, 30]}},
        ),
        (str(head), {"month": "2025-05", "changes": {"permanent": [120, 125]}}),
    ]
    with factory.session() as session:
        figure = session.scalar(
            select(WorkforceFigure).where(WorkforceFigure.employment_type == PERMANENT)
        )
        assert (figure.month, figure.headcount, figure.updated_by_id) == (MAY, 125, hr)


def test_re_saving_identical_figures_writes_nothing(app, factory):
    org = factory.org()
    hr = _hr_id(factory, org)
    _record(app, hr, org.establishment_ids[0], MAY, {"permanent": 10, "daily": 0})
    assert _record(app, hr, org.establishment_ids[0], MAY, {"permanent": 10, "daily": 0}) == {}
    assert len(_events(factory, "workforce.figures_recorded")) == 1
    assert _figure_count(factory) == 2


def test_types_left_out_keep_their_stored_value(app, factory):
    org = factory.org()
    hr = _hr_id(factory, org)
    _record(app, hr, org.establishment_ids[0], MAY, {"permanent": 10, "daily": 4})
    _record(app, hr, org.establishment_ids[0], MAY, {"permanent": 11})
    with factory.session() as session:
        figures = monthly_figures(session, org.id, [MAY])
    assert figures.establishments[0].recorded(MAY) == {PERMANENT: 11, EmploymentType.DAILY: 4}


def test_figures_below_the_roster_are_refused(app, factory):
    """Everyone on the roster is in the headcount: fewer people than that is a typing error."""
    org = factory.org()
    hr = _hr_id(factory, org)
    for number in ("E-1", "E-2", "E-3"):  # all start in January 2024, no end date
        make_employee(factory, org.id, number=number)
    _record(app, hr, org.establishment_ids[0], MAY, {"permanent": 2, "daily": 1})
    with pytest.raises(ServiceError, match=r"disabilities.*\(3\) than .* in all \(2\)"):
        _record(app, hr, org.establishment_ids[0], MAY, {"daily": 0})
    with factory.session() as session:
        figures = monthly_figures(session, org.id, [MAY])
    assert figures.establishments[0].recorded(MAY) == {PERMANENT: 2, EmploymentType.DAILY: 1}
    # Before anyone on the roster started, any figure is fine.
    assert _record(app, hr, org.establishment_ids[0], date(2023, 12, 1), {"permanent": 0})


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ({"permanent": -1}, "permanent", "cannot be negative"),
        ({"permanent": 2.5}, "permanent", "whole number"),
        ({"permanent": "12"}, "permanent", "whole number"),
        ({"permanent": True}, "permanent", "whole number"),
        ({"contractor": 3}, "contractor", "not an employment type"),
        ({"pns": 3}, "pns", "does not report this employment type"),
    ],
)
def test_bad_counts_are_refused_and_nothing_is_stored(app, factory, counts, field, message):
    org = factory.org()
    hr = _hr_id(factory, org)
    with pytest.raises(ServiceError) as caught:
        _record(app, hr, org.establishment_ids[0], MAY, {"daily": 1, **counts})
    assert (caught.value.field, message in caught.value.message) == (field, True)
    assert _figure_count(factory) == 0
    assert _events(factory, "workforce.figures_recorded") == []


def test_public_bodies_report_civil_servants(app, factory):
    org = factory.org(sector="regional_government")
    hr = _hr_id(factory, org)
    _record(app, hr, org.establishment_ids[0], MAY, {"pns": 300, "pppk": 40, "honorer": 12})
    with factory.session() as session:
        figures = monthly_figures(session, org.id, [MAY])
    assert figures.employment_types[:3] == (
        EmploymentType.PNS,
        EmploymentType.PPPK,
        EmploymentType.HONORER,
    )


def test_only_a_month_that_has_ended_takes_figures(app, factory):
    # TODAY is in June 2025: May is over; June is still running (not complete, DESIGN.md 3a)
    # and refused by the service itself, so the form, the grid and a file all refuse it.
    org = factory.org()
    hr = _hr_id(factory, org)
    _record(app, hr, org.establishment_ids[0], date(2025, 5, 1), {"permanent": 1})
    for month, message in [(date(2025, 6, 1), "has not ended yet"), (date(2025, 7, 1), "future")]:
        with pytest.raises(ServiceError, match=message) as caught:
            _record(app, hr, org.establishment_ids[0], month, {"permanent": 1})
        assert caught.value.field == "month"
    assert _figure_count(factory) == 1


def test_a_closed_establishment_takes_no_new_figures(app, factory):
    org = factory.org(other_regencies=("32.73",))
    hr = _hr_id(factory, org)
    _head, branch = org.establishment_ids
    with acting(app, hr) as (session, actor):
        close_establishment(session, actor, branch)
    with pytest.raises(ServiceError, match="closed"):
        _record(app, hr, branch, MAY, {"permanent": 5})
    assert _figure_count(factory) == 0


def test_other_tenants_and_other_roles_cannot_record(app, factory):
    mine, theirs = factory.org(), factory.org(regency="35.78")
    with pytest.raises(NotFound):
        _record(app, _hr_id(factory, mine), theirs.establishment_ids[0], MAY, {"permanent": 1})
    inspector = factory.user(Role.INSPECTOR, provinces=("35",))
    with pytest.raises(PermissionDenied):
        _record(app, inspector.id, theirs.establishment_ids[0], MAY, {"permanent": 1})
    assert _figure_count(factory) == 0


def test_the_database_refuses_a_negative_headcount(app, factory):
    org = factory.org()
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        db.session.add(
            WorkforceFigure(
                organization_id=org.id,
                establishment_id=org.establishment_ids[0],
                month=MAY,
                employment_type=PERMANENT,
                headcount=-1,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


# --- reading --------------------------------------------------------------------------------


def test_monthly_figures_feed_a_quota_snapshot(app, factory):
    org = factory.org(other_regencies=("32.73",))
    hr = _hr_id(factory, org)
    head, branch = org.establishment_ids
    full = {"fixed_term": 0, "daily": 0, "part_time": 0, "outsourced": 7, "intern": 2}
    for month in (APRIL, MAY):
        _record(app, hr, head, month, {**full, "permanent": 150})
    _record(app, hr, branch, MAY, {**full, "permanent": 100})
    with factory.session() as session:
        figures = monthly_figures(session, org.id, [MAY, APRIL, date(2025, 4, 9)])
    assert figures.months == (APRIL, MAY)
    assert [e.establishment_id for e in figures.establishments] == [head, branch]
    assert figures.establishment(branch).recorded(APRIL) == {}
    # The branch has no April figures: April's total is unknown, not understated.
    assert figures.headcount(APRIL)[PERMANENT] is None
    assert [e.establishment_id for e in figures.missing(APRIL)] == [branch]
    assert figures.headcount(APRIL, establishment_id=head)[PERMANENT] == 150
    may = figures.headcount(MAY)
    assert (may[PERMANENT], may[EmploymentType.OUTSOURCED]) == (250, 14)
    assert figures.missing(MAY) == ()
    result = evaluate(Snapshot(as_of=MAY, sector="private", headcount=may), today=TODAY)
    assert (result.denominator, result.required) == (250, 3)
    april = evaluate(
        Snapshot(as_of=APRIL, sector="private", headcount=figures.headcount(APRIL)), today=TODAY
    )
    assert april.status is Status.INSUFFICIENT_DATA


def test_an_establishment_closed_before_a_month_is_not_expected_in_it(app, factory):
    org = factory.org(other_regencies=("32.73",))
    hr = _hr_id(factory, org)
    head, branch = org.establishment_ids
    _record(app, hr, head, MAY, {"permanent": 40})
    with factory.session() as session:
        session.get(Establishment, branch).closed_at = datetime(2025, 4, 30, 10, 0)  # noqa: DTZ001 (stored as naive UTC)
    with factory.session() as session:
        figures = monthly_figures(session, org.id, [MAY])
    assert figures.headcount(MAY, establishment_id=None)[PERMANENT] == 40


def test_monthly_figures_of_another_tenant_are_not_found(app, factory):
    mine, theirs = factory.org(), factory.org(regency="35.78")
    with acting(app, _hr_id(factory, mine)) as (session, _actor), pytest.raises(NotFound):
        monthly_figures(session, theirs.id, [MAY])


# --- establishments -------------------------------------------------------------------------


def test_establishment_changes_are_audited(app, factory):
    org = factory.org()
    hr = _hr_id(factory, org)
    details = EstablishmentDetails(
        name="  Pabrik   Cikarang ", regency_code="32.16", wlkp_number="WLKP-0001"
    )
    with acting(app, hr) as (session, actor):
        branch = add_establishment(session, actor, details).id
    with acting(app, hr) as (session, actor):
        # Saving the same details again is no change at all.
        update_establishment(session, actor, branch, details)
        update_establishment(
            session,
            actor,
            branch,
            EstablishmentDetails(
                name="Pabrik Cikarang",
                regency_code="32.16",
                wlkp_number="WLKP-0001",
                wlkp_registered_on=date(2024, 3, 1),
            ),
        )
    with acting(app, hr) as (session, actor):
        close_establishment(session, actor, branch)
    with acting(app, hr) as (session, actor):
        reopen_establishment(session, actor, branch)
        names = [e.name for e in list_establishments(session, actor)]
    assert names == ["Kantor pusat", "Pabrik Cikarang"]
    added = _events(factory, "establishment.added")
    assert added[0][1]["name"] == "Pabrik Cikarang"
    assert _events(factory, "establishment.updated") == [
        (str(branch), {"changes": {"wlkp_registered_on": [None, "2024-03-01"]}})
    ]
    assert len(_events(factory, "establishment.closed")) == 1
    assert len(_events(factory, "establishment.reopened")) == 1


def test_moving_the_head_office_moves_the_organisations_head_office(app, factory):
    org = factory.org(regency="31.71")
    hr = _hr_id(factory, org)
    with acting(app, hr) as (session, actor):
        update_establishment(
            session,
            actor,
            org.establishment_ids[0],
            EstablishmentDetails(name="Kantor pusat", regency_code="32.73"),
        )
    with factory.session() as session:
        assert session.get(Organization, org.id).head_office_regency_code == "32.73"


def test_the_only_open_establishment_cannot_be_closed(app, factory):
    org = factory.org(other_regencies=("32.73",))
    hr = _hr_id(factory, org)
    head, branch = org.establishment_ids
    with acting(app, hr) as (session, actor):
        close_establishment(session, actor, branch)
    with (
        pytest.raises(ServiceError, match="only open establishment"),
        acting(app, hr) as (session, actor),
    ):
        close_establishment(session, actor, head)
    with acting(app, hr) as (session, actor):
        reopen_establishment(session, actor, branch)
    with acting(app, hr) as (session, actor):
        close_establishment(session, actor, head)  # fine while the branch is open


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (EstablishmentDetails(name=" ", regency_code="32.16"), "name"),
        (EstablishmentDetails(name="Gudang", regency_code="99.99"), "regency_code"),
        (
            EstablishmentDetails(name="Gudang", regency_code="32.16", wlkp_number="x" * 51),
            "wlkp_number",
        ),
        (
            EstablishmentDetails(
                name="Gudang", regency_code="32.16", wlkp_registered_on=date(2999, 1, 1)
            ),
            "wlkp_registered_on",
        ),
        (
            EstablishmentDetails(name="Gudang", regency_code="32.16", wlkp_number="W-1"),
            "wlkp_number",
        ),
    ],
)
def test_bad_establishment_details_are_refused(app, factory, details, field):
    org = factory.org()
    hr = _hr_id(factory, org)
    with acting(app, hr) as (session, actor):
        add_establishment(
            session,
            actor,
            EstablishmentDetails(name="Kantor", regency_code="32.16", wlkp_number="W-1"),
        )
    with pytest.raises(ServiceError) as caught, acting(app, hr) as (session, actor):
        add_establishment(session, actor, details)
    assert caught.value.field == field
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(Establishment)) == 2


def test_only_the_organisations_hr_managers_manage_establishments(app, factory):
    org = factory.org()
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with pytest.raises(PermissionDenied), acting(app, inspector.id) as (session, actor):
        add_establishment(session, actor, EstablishmentDetails(name="X", regency_code="31.71"))
    with pytest.raises(PermissionDenied), acting(app, inspector.id) as (session, actor):
        close_establishment(session, actor, org.establishment_ids[0])
