"""Each per-organisation job looks only at organisations that may have work (issue 19): one with
work is still found, whatever its zone, and one without is not looked at (`processed`, the
organisations looked at, says so). At 16:30 UTC it is 23:30 in Jakarta (WIB) and already the
next day, 01:30, in Jayapura (WIT): the prefilters cover every zone's date."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from compliance.models import ConsentRecord, Employee, Establishment
from compliance.models.jobs import MonthlySnapshot
from compliance.services.declarations.gap import EXPIRY_WARNING_DAYS
from tests.jobs.test_jobs import at, record_figures, run
from tests.support.roster import make_employee

JAKARTA, JAYAPURA = "31.71", "91.71"


def counts_of(record) -> tuple[int, int, int]:
    return record.processed, record.changed, record.failed


def test_consent_withdrawals_look_only_where_a_purge_is_due(app, factory):
    withdrawn, active, later = factory.org(), factory.org(), factory.org()
    due = make_employee(factory, withdrawn.id, details=True)
    make_employee(factory, active.id, details=True)
    not_yet = make_employee(factory, later.id, details=True)
    with factory.session() as session:
        consents = {c.employee_id: c for c in session.scalars(select(ConsentRecord))}
        consents[due].withdrawn_at = at(2026, 11, 20, 9, 0)
        consents[not_yet].withdrawn_at = at(2026, 11, 20, 11, 0)  # after the run

    assert counts_of(run(app, "consent_withdrawals", at(2026, 11, 20, 10, 0))) == (1, 1, 0)
    # Purged: nobody is looked at until the next withdrawal is due.
    assert counts_of(run(app, "consent_withdrawals", at(2026, 11, 20, 10, 30))) == (0, 0, 0)
    assert counts_of(run(app, "consent_withdrawals", at(2026, 11, 20, 12, 0))) == (1, 1, 0)


def test_roster_retention_looks_only_where_someone_left_before_the_latest_cutoff(app, factory):
    jayapura = factory.org(regency=JAYAPURA)
    jakarta = factory.org(regency=JAKARTA)
    recent, stayed = factory.org(), factory.org()
    left = {
        make_employee(factory, jayapura.id, details=True): date(2021, 11, 23),
        make_employee(factory, jakarta.id, details=True): date(2021, 11, 23),
        make_employee(factory, recent.id, details=True): date(2023, 3, 31),
    }
    make_employee(factory, stayed.id, details=True)
    with factory.session() as session:
        for employee_id, end_date in left.items():
            session.get(Employee, employee_id).end_date = end_date

    now = at(2026, 11, 23, 16, 30)  # cutoff 24 November 2021 in Jayapura, 23rd in Jakarta
    # Jayapura's leaver is purged; Jakarta's is looked at (its zone's cutoff is unknown to
    # the query, which takes the latest) and kept until tomorrow; the others are not looked at.
    assert counts_of(run(app, "roster_retention", now)) == (2, 1, 0)
    with factory.session() as session:
        kept = session.scalars(
            select(Employee.organization_id).where(Employee.disability_categories.is_not(None))
        ).all()
    assert sorted(kept) == sorted([jakarta.id, recent.id, stayed.id])
    assert counts_of(run(app, "roster_retention", now + timedelta(days=1))) == (1, 1, 0)
    assert counts_of(run(app, "roster_retention", now + timedelta(days=2))) == (0, 0, 0)


def test_evidence_expiry_looks_only_where_evidence_expires_unreminded(app, factory, outbox):
    jayapura = factory.org(regency=JAYAPURA)
    later, withdrawn = factory.org(), factory.org()
    last_day = make_employee(factory, jayapura.id, details=True)
    make_employee(factory, later.id, details=True)  # expires in three years
    without_consent = make_employee(factory, withdrawn.id, details=True)
    now = at(2026, 11, 23, 16, 30)  # 24 November in Jayapura
    with factory.session() as session:
        horizon = date(2026, 11, 24) + timedelta(days=EXPIRY_WARNING_DAYS)
        session.get(Employee, last_day).evidence_expires_on = horizon  # Jayapura's last day
        session.get(Employee, without_consent).evidence_expires_on = date(2026, 12, 1)
        consent = session.scalar(
            select(ConsentRecord).where(ConsentRecord.employee_id == without_consent)
        )
        consent.withdrawn_at = at(2026, 11, 1)

    assert counts_of(run(app, "evidence_expiry", now)) == (1, 1, 0)
    assert len(list(outbox.glob("*.eml"))) == 1
    # Reminded: the notice takes the organisation out of the next runs.
    assert counts_of(run(app, "evidence_expiry", now + timedelta(hours=1))) == (0, 0, 0)


def test_monthly_snapshot_looks_only_at_unfrozen_months_with_figures(app, factory):
    jayapura = factory.org(regency=JAYAPURA)
    jakarta = factory.org(regency=JAKARTA)
    closed = factory.org(regency=JAKARTA)  # closed before October: complete without figures
    silent = factory.org(regency=JAKARTA)  # no figures: October is incomplete
    now = at(2026, 11, 30, 16, 30)  # Jakarta's last month is October, Jayapura's November
    record_figures(factory, jayapura.id, date(2026, 11, 1), permanent=120)
    record_figures(factory, jakarta.id, date(2026, 10, 1), permanent=120)
    with factory.session() as session:
        session.get(Establishment, closed.establishment_ids[0]).closed_at = at(2026, 9, 1)

    assert counts_of(run(app, "monthly_snapshot", now)) == (3, 3, 0)
    with factory.session() as session:
        months = select(MonthlySnapshot.organization_id, MonthlySnapshot.month)
        frozen = {org: month for org, month in session.execute(months)}
    assert frozen == {
        jayapura.id: date(2026, 11, 1),
        jakarta.id: date(2026, 10, 1),
        closed.id: date(2026, 10, 1),
    }
    assert silent.id not in frozen
    # Frozen: looked at again only where another zone's month might be due (the closed
    # organisation's November, complete as far as the query knows; its month is October).
    assert counts_of(run(app, "monthly_snapshot", now + timedelta(minutes=10))) == (1, 0, 0)
