"""`compute` without breakdowns evaluates the legal entity alone, yet refuses a month exactly as
the full computation does: an establishment whose roster outgrows its figures fails the same
way, and the nightly summary shows such an organisation the same, written per organisation or
for a whole batch."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from compliance.extensions import db
from compliance.models import Organization, Reach
from compliance.models.inspections import ComplianceSummary, SummaryMonth
from compliance.models.people import Employee
from compliance.models.tenancy import reach_scope
from compliance.models.workforce import WorkforceFigure
from compliance.services import ServiceError
from compliance.services.declarations.computation import compute
from compliance.services.inspections.rebuild import rebuild_batch
from compliance.services.inspections.summary import rewrite_summary
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.roster import make_employee


def _outgrown(factory) -> tuple[int, list[date], date]:
    """A company whose whole workforce fits its roster but whose roster's own establishment,
    in June, records no permanent worker (figures written as a broken import would leave
    them); the months of last year and a day after them."""
    org = factory.org(name="PT Cabang Kosong", regency="31.71", other_regencies=("35.78",))
    first, second = org.establishment_ids
    fill_year(factory, org.id, {first: 300, second: 120})
    make_employee(factory, org.id, number="E-1", name="Sari Dewi", details=True)
    year = last_year()
    with factory.session() as session:
        where = session.scalar(
            select(Employee.establishment_id).where(Employee.organization_id == org.id)
        )
        session.execute(
            update(WorkforceFigure)
            .where(
                WorkforceFigure.establishment_id == where,
                WorkforceFigure.month == date(year, 6, 1),
                WorkforceFigure.employment_type == "permanent",
            )
            .values(headcount=0)
        )
    return org.id, [date(year, m, 1) for m in range(1, 13)], date(year + 1, 3, 1)


def _refusal(organization: Organization, months: list[date], today: date, breakdowns: bool) -> str:
    with pytest.raises(ServiceError) as refused:
        compute(db.session, organization, months, label="Y", today=today, breakdowns=breakdowns)
    db.session.expire_all()
    return refused.value.message


def test_an_establishment_outgrowing_its_figures_is_refused_the_same_way(app, factory):
    org_id, months, today = _outgrown(factory)
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        organization = db.session.get(Organization, org_id)
        whole = _refusal(organization, months, today, breakdowns=True)
        entity_only = _refusal(organization, months, today, breakdowns=False)
        # Without June, both evaluate (the entity alone first: a full computation kept in
        # the unit of work would answer for it).
        rest = [m for m in months if m.month != 6]
        alone = compute(db.session, organization, rest, label="Y", today=today, breakdowns=False)
        full = compute(db.session, organization, rest, label="Y", today=today)
    assert entity_only == whole
    assert "PT Cabang Kosong" not in whole  # an establishment's month, not the entity's
    assert alone.entity == full.entity
    assert alone.establishments == ()
    assert alone.provinces == ()
    assert len(full.establishments) == 2


def _written(factory, ids: list[int]) -> list[tuple[object, ...]]:
    with factory.session() as session:
        summaries = session.execute(
            select(ComplianceSummary).where(ComplianceSummary.organization_id.in_(ids))
        ).scalars()
        rows = [
            tuple(
                getattr(s, c.key)
                for c in ComplianceSummary.__table__.columns
                if c.key != "refreshed_at"
            )
            for s in summaries
        ]
        months = session.execute(
            select(SummaryMonth.__table__).where(SummaryMonth.organization_id.in_(ids))
        ).all()
        return sorted(map(repr, rows)) + sorted(map(repr, months))


def test_a_batch_writes_what_each_organisation_writes_alone(app, factory):
    refused, _months, today = _outgrown(factory)
    plain = factory.org(regency="31.74", other_regencies=("31.71", "35.78"))
    fill_year(factory, plain.id, dict.fromkeys(plain.establishment_ids, 90))
    make_employee(factory, plain.id, details=True)
    newcomer = factory.org()
    ids = sorted([refused, plain.id, newcomer.id])
    with factory.session() as session, reach_scope(session, Reach.for_everything()):
        for organization_id in ids:
            rewrite_summary(session, organization_id, today)
    alone = _written(factory, ids)
    with factory.session() as session:
        assert rebuild_batch(session, ids, today=today) == 0  # nothing came out different
    assert _written(factory, ids) == alone
    assert len(alone) > 3  # rows of every organisation and months of some


def test_without_areas_the_establishments_are_evaluated_and_refused_the_same_way(app, factory):
    """The monthly snapshot's computation (`areas=False`): the legal entity's and each
    establishment's results as the full computation has them, no province or overlay, and the
    same refusal for a month an establishment outgrows."""
    org_id, months, today = _outgrown(factory)
    rest = [m for m in months if m.month != 6]
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        organization = db.session.get(Organization, org_id)
        with pytest.raises(ServiceError) as refused:
            compute(db.session, organization, months, label="Y", today=today, areas=False)
        db.session.expire_all()
        whole = _refusal(organization, months, today, breakdowns=True)
        parts = compute(db.session, organization, rest, label="Y", today=today, areas=False)
        db.session.expire_all()
        full = compute(db.session, organization, rest, label="Y", today=today)
    assert refused.value.message == whole
    assert parts.entity == full.entity
    assert parts.establishments == full.establishments
    assert len(parts.establishments) == 2
    assert full.provinces
    assert not parts.provinces
