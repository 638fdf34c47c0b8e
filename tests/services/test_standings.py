"""The standing of record decided in bulk (`status.standings`, for the deadline reminders) is
the one decided organisation by organisation (`status.period_standing`, as the HR home)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from compliance.clock import local_date
from compliance.models import Organization, WorkforceFigure
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.quota import EmploymentType
from compliance.services.declarations.status import Standing, period_standing, standings

YEARS = range(2023, 2029)
#: 2 January (every zone), the last day of January at 22:30 WIB (already 1 February in WIT),
#: 1 April (a moved due date has passed) and 31 December 16:30 UTC (1 January in WIT only).


def _at(*parts: int) -> datetime:
    """A stored instant: naive UTC."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


NOWS = (
    _at(2027, 1, 2, 1, 0),
    _at(2027, 1, 31, 15, 30),
    _at(2027, 4, 1, 3, 0),
    _at(2027, 12, 31, 16, 30),
)


def _period(session, organization_id: int, year: int, due_on: date, *statuses) -> None:
    period = ReportingPeriod(
        organization_id=organization_id,
        label=str(year),
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 1),
        due_on=due_on,
    )
    session.add(period)
    session.flush()
    for number, status in enumerate(statuses, start=1):
        session.add(
            Declaration(
                organization_id=organization_id,
                period_id=period.id,
                number=number,
                status=status,
                input_sha256="0" * 64,
                data={},
            )
        )


def _spread(factory) -> list[int]:
    """Organisations in every case the rule knows."""
    filed = factory.org(name="PT Sudah Lapor")  # 2025 submitted (after a draft)
    drafted = factory.org(name="PT Masih Draf")  # 2025 has a draft only: not filed
    moved = factory.org(name="PT Tenggat Diundur")  # 2026's due date moved to 31 March 2027
    newcomer = factory.org(name="PT Baru")  # registered 2027, no figures: earlier not obliged
    late = factory.org(name="PT Terlambat Daftar")  # registered 2027, figures since 2024
    jayapura = factory.org(name="PT Jayapura", regency="91.71")  # WIT
    denpasar = factory.org(name="PT Denpasar", regency="51.71")  # WITA, WLKP month March
    registered = {
        filed.id: 2020,
        drafted.id: 2020,
        moved.id: 2020,
        newcomer.id: 2027,
        late.id: 2027,
        jayapura.id: 2024,
        denpasar.id: 2025,
    }
    with factory.session() as session:
        for organization in session.scalars(select(Organization)):
            organization.created_at = _at(registered[organization.id], 3, 1)
        session.get(Organization, denpasar.id).wlkp_due_month = 3
        submitted = (DeclarationStatus.DRAFT, DeclarationStatus.SUBMITTED)
        _period(session, filed.id, 2025, date(2026, 1, 31), *submitted)
        _period(session, drafted.id, 2025, date(2026, 1, 31), DeclarationStatus.DRAFT)
        _period(session, moved.id, 2026, date(2027, 3, 31))
        _period(session, jayapura.id, 2026, date(2027, 1, 31), DeclarationStatus.SUBMITTED)
        session.add(
            WorkforceFigure(
                organization_id=late.id,
                establishment_id=late.establishment_ids[0],
                month=date(2024, 5, 1),
                employment_type=EmploymentType.PERMANENT,
                headcount=120,
            )
        )
    return list(registered)


def test_bulk_standings_agree_with_the_single_path(factory):
    ids = _spread(factory)
    seen: set[Standing] = set()
    with factory.session() as session:
        organizations = session.scalars(
            select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)
        ).all()
        for now in NOWS:

            def today_of(organization: Organization, now: datetime = now) -> date:
                return local_date(now, organization.zone)

            bulk = standings(session, organizations, YEARS, today_of)
            assert len(bulk) == len(ids) * len(YEARS)
            for organization in organizations:
                for year in YEARS:
                    single = period_standing(
                        session, organization, year, today=today_of(organization)
                    )
                    assert bulk[organization.id, year] == single, (organization.name, year, now)
                    seen.add(single[0])
    assert seen == set(Standing)  # the spread reaches every standing


def test_the_spread_is_what_it_says(factory):
    """A few answers of the spread spelt out, so the comparison above compares something."""
    ids = _spread(factory)
    filed, drafted, moved, newcomer, late, jayapura, denpasar = ids
    with factory.session() as session:
        organizations = session.scalars(select(Organization).where(Organization.id.in_(ids)))
        on_31_january = _at(2027, 1, 31, 15, 30)
        found = standings(
            session, list(organizations), YEARS, lambda o: local_date(on_31_january, o.zone)
        )
    assert found[filed, 2025] == (Standing.SUBMITTED, date(2026, 1, 31))
    assert found[drafted, 2025] == (Standing.OVERDUE, date(2026, 1, 31))
    assert found[moved, 2026] == (Standing.OPEN, date(2027, 3, 31))
    assert found[newcomer, 2026][0] is Standing.NOT_OBLIGED
    assert found[late, 2024][0] is Standing.OVERDUE
    assert found[late, 2023][0] is Standing.NOT_OBLIGED
    assert found[jayapura, 2026][0] is Standing.SUBMITTED
    assert found[denpasar, 2026] == (Standing.OPEN, date(2027, 3, 31))
    assert found[newcomer, 2028][0] is Standing.NOT_OBLIGED  # a year not begun
