"""The automatic tenant scope on queries: what each reach sees, and failing closed."""

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Establishment, Organization, Reach, TenantScopeMissing, User
from compliance.models.tenancy import reach_scope


@pytest.fixture
def two_orgs(factory):
    jakarta = factory.org(name="PT Jakarta", regency="31.71")
    surabaya = factory.org(name="PT Surabaya", regency="35.78", other_regencies=("32.73",))
    return jakarta, surabaya


def _names(app, reach):
    with app.app_context(), reach_scope(db.session, reach):
        return sorted(db.session.scalars(select(Organization.name)))


def test_a_query_without_a_reach_raises(app, two_orgs):
    with app.app_context(), pytest.raises(TenantScopeMissing):
        db.session.scalars(select(Organization)).all()


def test_reference_data_needs_no_reach(app):
    from compliance.models import Province

    with app.app_context():
        assert db.session.get(Province, "31") is not None


def test_each_reach_sees_only_its_organisations(app, two_orgs):
    jakarta, _surabaya = two_orgs
    assert _names(app, Reach(organization_id=jakarta.id)) == ["PT Jakarta"]
    assert _names(app, Reach(province_codes=frozenset({"31"}))) == ["PT Jakarta"]
    # Surabaya's company has a branch in Bandung (Jawa Barat): a Jawa Barat inspector sees it.
    assert _names(app, Reach(province_codes=frozenset({"32"}))) == ["PT Surabaya"]
    assert _names(app, Reach(regency_codes=frozenset({"35.78"}))) == ["PT Surabaya"]
    assert _names(app, Reach.for_everything()) == ["PT Jakarta", "PT Surabaya"]
    assert _names(app, Reach.nobody()) == []


def test_scope_applies_to_joins_and_related_rows(app, two_orgs):
    jakarta, _ = two_orgs
    with app.app_context(), reach_scope(db.session, Reach(organization_id=jakarta.id)):
        establishments = db.session.scalars(select(Establishment)).all()
        users = db.session.scalars(select(User).join(Organization)).all()
    assert {e.organization_id for e in establishments} == {jakarta.id}
    assert {u.organization_id for u in users} == {jakarta.id}


def test_get_by_id_outside_reach_finds_nothing(app, two_orgs):
    jakarta, surabaya = two_orgs
    with app.app_context(), reach_scope(db.session, Reach(organization_id=jakarta.id)):
        found = db.session.scalar(select(Organization).where(Organization.id == surabaya.id))
    assert found is None


def test_session_get_outside_reach_finds_nothing(app, two_orgs):
    jakarta, surabaya = two_orgs
    with app.app_context(), reach_scope(db.session, Reach(organization_id=jakarta.id)):
        assert db.session.get(Organization, surabaya.id) is None
        assert db.session.get(Organization, jakarta.id) is not None


def test_one_statement_reads_the_reach_it_runs_under_each_time(app, two_orgs):
    """Organisation reaches share criteria with bound parameters (built once, not per reach):
    the same statement, compiled once, must read each reach's own organisation every time,
    and a relationship loaded later reads the reach of that moment, never a stale one."""
    jakarta, surabaya = two_orgs
    statement = select(Establishment.organization_id).join(Organization)
    with app.app_context():
        session = db.session()
        for _ in range(2):
            for org in (jakarta, surabaya):
                with reach_scope(session, Reach(organization_id=org.id, user_id=None)):
                    assert set(session.scalars(statement)) == {org.id}
                    assert session.get(Organization, org.id) is not None
        with reach_scope(session, Reach(organization_id=jakarta.id)):
            users = session.scalars(select(User).where(User.organization_id == surabaya.id))
            assert users.all() == []


def test_the_bound_criteria_refuse_to_run_without_a_reach(app, two_orgs):
    """Criteria carried by a statement (as a lazy load carries them) under no reach refuse to
    run rather than match whatever organisation the thread ran last."""
    from sqlalchemy.exc import StatementError

    from compliance.models.tenancy import SKIP_OPTION, organization_options

    jakarta, _ = two_orgs
    with app.app_context():
        with reach_scope(db.session, Reach(organization_id=jakarta.id)):
            assert db.session.scalars(select(Organization.name)).all() == ["PT Jakarta"]
        carried = (
            select(Organization)
            .options(*organization_options(False))
            .execution_options(**{SKIP_OPTION: True})
        )
        with pytest.raises(StatementError) as raised:
            db.session.execute(carried).all()
    assert isinstance(raised.value.orig, TenantScopeMissing)


def test_the_database_refuses_a_row_that_points_into_another_organisation(factory):
    """Below the services and the query scope, the keys themselves tie an employee to an
    establishment of its own organisation and a consent record to its employee's."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from compliance.clock import utcnow
    from compliance.models import ConsentRecord, Employee
    from tests.support.roster import make_employee

    ours, theirs = factory.org(name="PT Kami"), factory.org(name="PT Mereka")
    employee_id = make_employee(factory, ours.id)
    employee = {
        "organization_id": ours.id,
        "establishment_id": theirs.establishment_ids[0],
        "employee_number": "X-1",
        "name": "Sari",
        "employment_type": "permanent",
        "start_date": utcnow().date(),
        "verification_state": "unverified",
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    consent = {
        "employee_id": employee_id,
        "organization_id": theirs.id,
        "given_by": "employee",
        "method": "written",
        "given_at": utcnow(),
        "consent_text_version": "2026-11",
        "created_at": utcnow(),
    }
    for table, row in [(Employee.__table__, employee), (ConsentRecord.__table__, consent)]:
        with pytest.raises(IntegrityError), factory.session() as session:
            session.execute(insert(table).values(row))
    with factory.session() as session:
        session.execute(
            insert(Employee.__table__).values(employee | {"organization_id": theirs.id})
        )
        assert (
            session.scalar(
                select(Employee.organization_id).where(Employee.employee_number == "X-1")
            )
            == theirs.id
        )
