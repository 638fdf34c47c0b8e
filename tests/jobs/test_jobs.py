"""Each scheduled job against the real database with a fake clock, run twice: the second run
changes nothing. A job that fails half-way keeps what it committed and the next run goes on."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, update

from compliance.extensions import db
from compliance.jobs import snapshots
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import JOBS, job_named
from compliance.models import AuditEvent, ConsentRecord, Employee, Organization, WorkforceFigure
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.models.jobs import JobNotice, JobRun, MonthlySnapshot
from compliance.quota import EmploymentType
from compliance.services.workforce import employment_types_for
from tests.support.clock import today
from tests.support.roster import make_employee

#: Date-sensitive: reminders, snapshots and purges run on business dates.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


def at(*parts: int) -> datetime:
    """A fake clock reading: naive UTC, as the application stores times."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def run(app, name: str, now: datetime) -> JobRun:
    with app.app_context():
        record = run_job(db.session(), name, job_named(name).function, now)
        db.session.refresh(record)
        db.session.expunge(record)
        db.session.remove()
        return record


def mails(outbox) -> list[str]:
    """Each mail as its decoded headers and text, as a mail client shows it."""
    found = []
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        headers = "".join(f"{name}: {value}\n" for name, value in message.items())
        found.append(headers + "\n" + message.get_body(("plain",)).get_content())
    return sorted(found)


def count(factory, model, *where) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def record_figures(factory, organization_id: int, month: date, permanent: int) -> None:
    with factory.session() as session:
        org = session.get(Organization, organization_id)
        head_office = org.establishments[0].id
        for kind in employment_types_for(org.sector):
            session.add(
                WorkforceFigure(
                    organization_id=organization_id,
                    establishment_id=head_office,
                    month=month,
                    employment_type=kind,
                    headcount=permanent if kind is EmploymentType.PERMANENT else 0,
                )
            )


# --- deadline reminders ----------------------------------------------------------------------


def test_deadline_reminders_30_and_7_days_before_then_overdue(app, factory, outbox):
    org = factory.org(name="PT Tepat Waktu")  # registered today; WLKP month January
    year = today().year  # this year's period is due on 31 January next year
    due = f"31 Januari {year + 1}"  # written as the pages write it (`|date("long")`)
    first = run(app, "deadline_reminders", at(year + 1, 1, 2, 1, 0))
    assert (first.outcome, first.processed, first.changed) == ("succeeded", 1, 1)
    [sent] = mails(outbox)
    # Mail goes out in Bahasa Indonesia, the product's default language.
    assert f"Laporan kuota PT Tepat Waktu untuk tahun {year} jatuh tempo pada {due}." in sent
    assert org.hr_email in sent
    assert "/declarations" in sent

    again = run(app, "deadline_reminders", at(year + 1, 1, 3, 1, 0))
    assert (again.outcome, again.changed) == ("succeeded", 0)
    assert len(mails(outbox)) == 1

    assert run(app, "deadline_reminders", at(year + 1, 1, 25, 1, 0)).changed == 1
    assert run(app, "deadline_reminders", at(year + 1, 1, 26, 1, 0)).changed == 0
    assert run(app, "deadline_reminders", at(year + 1, 2, 1, 1, 0)).changed == 1
    assert run(app, "deadline_reminders", at(year + 1, 2, 2, 1, 0)).changed == 0
    assert any(f"jatuh tempo pada {due} dan" in m for m in mails(outbox))
    with factory.session() as session:
        kinds = sorted(session.scalars(select(JobNotice.kind)))
    assert kinds == ["deadline_30", "deadline_7", "overdue"]
    assert len(mails(outbox)) == 3


def test_a_deadline_passes_at_midnight_at_the_head_office(app, factory, outbox):
    """31 January 15:30 UTC is 22:30 WIB but already 1 February 00:30 WIT: Jayapura's
    declaration is overdue, Jakarta's is still due that day (the rule in compliance.clock)."""
    jakarta = factory.org(name="PT Jakarta", regency="31.71")
    jayapura = factory.org(name="PT Jayapura", regency="91.71")
    year = today().year
    registered = datetime(year, 1, 2, tzinfo=UTC).replace(tzinfo=None)  # stored as naive UTC
    with factory.session() as session:  # both on record for the whole year
        session.execute(update(Organization).values(created_at=registered))
    run(app, "deadline_reminders", at(year + 1, 1, 31, 15, 30))
    with factory.session() as session:
        kinds = dict(session.execute(select(JobNotice.organization_id, JobNotice.kind)).all())
    assert kinds == {jakarta.id: "deadline_7", jayapura.id: "overdue"}
    overdue = [m for m in mails(outbox) if "PT Jayapura" in m]
    assert len(overdue) == 1
    assert f"jatuh tempo pada 31 Januari {year + 1} dan" in overdue[0]  # was due ..., not filed


def test_an_organisation_that_filed_gets_no_reminder(app, factory, outbox):
    org = factory.org()
    with factory.session() as session:
        period = ReportingPeriod(
            organization_id=org.id,
            label="2026",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 1),
            due_on=date(2027, 1, 31),
        )
        session.add(period)
        session.flush()
        session.add(
            Declaration(
                organization_id=org.id,
                period_id=period.id,
                number=1,
                status=DeclarationStatus.SUBMITTED,
                input_sha256="0" * 64,
                data={},
            )
        )
    run(app, "deadline_reminders", at(2027, 1, 25, 1, 0))
    assert not [m for m in mails(outbox) if "2026" in m.split("Subject:")[1].splitlines()[0]]


# --- monthly snapshot ------------------------------------------------------------------------


def test_the_monthly_snapshot_freezes_complete_months_once(app, factory):
    complete = factory.org(name="PT Lengkap")
    record_figures(factory, complete.id, date(2026, 10, 1), permanent=250)
    incomplete = factory.org(name="PT Belum Lapor")

    first = run(app, "monthly_snapshot", at(2026, 11, 5, 2, 0))
    # Only the organisation with figures for October is looked at (`snapshots._may_freeze`).
    assert (first.outcome, first.processed, first.changed) == ("succeeded", 1, 1)
    with factory.session() as session:
        frozen = session.scalars(select(MonthlySnapshot)).one()
        assert (frozen.organization_id, frozen.month) == (complete.id, date(2026, 10, 1))
        assert (frozen.status, frozen.denominator, frozen.required) == ("shortfall", 250, 3)

    # Later corrections do not change the frozen month; a second run changes nothing.
    record_figures(factory, incomplete.id, date(2026, 10, 1), permanent=40)
    with factory.session() as session:
        session.execute(
            WorkforceFigure.__table__.update()
            .where(WorkforceFigure.organization_id == complete.id)
            .values(headcount=900)
        )
    second = run(app, "monthly_snapshot", at(2026, 11, 6, 2, 0))
    assert second.changed == 1  # only the organisation whose figures are now complete
    assert run(app, "monthly_snapshot", at(2026, 11, 7, 2, 0)).changed == 0
    with factory.session() as session:
        assert (
            session.scalar(
                select(MonthlySnapshot.denominator).where(
                    MonthlySnapshot.organization_id == complete.id
                )
            )
            == 250
        )


def test_a_job_failing_half_way_keeps_what_it_committed_and_the_next_run_goes_on(
    app, factory, monkeypatch
):
    first_org = factory.org(name="PT Gagal Dulu")
    second_org = factory.org(name="PT Jalan Terus")
    for org in (first_org, second_org):
        record_figures(factory, org.id, date(2026, 10, 1), permanent=120)
    real_compute = snapshots.compute

    def failing_for_the_first(session, organization, *args, **kwargs):
        if organization.id == first_org.id:
            raise RuntimeError("database hiccup")
        return real_compute(session, organization, *args, **kwargs)

    monkeypatch.setattr(snapshots, "compute", failing_for_the_first)
    broken = run(app, "monthly_snapshot", at(2026, 11, 5, 2, 0))
    assert (broken.outcome, broken.processed, broken.changed, broken.failed) == (
        "partial",
        1,
        1,
        1,
    )
    assert f"organisation {first_org.id}" in broken.error
    assert "database hiccup" in broken.error
    assert count(factory, MonthlySnapshot) == 1

    monkeypatch.setattr(snapshots, "compute", real_compute)
    mended = run(app, "monthly_snapshot", at(2026, 11, 5, 3, 0))
    assert (mended.outcome, mended.changed, mended.failed, mended.error) == (
        "succeeded",
        1,
        0,
        None,
    )
    assert count(factory, MonthlySnapshot) == 2


def test_a_job_that_fails_outright_is_recorded_as_failed(app, monkeypatch):
    def broken(session, now, counts):
        raise ValueError("misconfigured")

    with app.app_context():
        record = run_job(db.session(), "broken", broken, at(2026, 11, 5))
        assert record.outcome == "failed"
        assert "misconfigured" in record.error
        assert record.finished_at is not None


# --- privacy ---------------------------------------------------------------------------------


def test_withdrawn_consent_is_enforced_and_audited_once(app, factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True)
    kept_id = make_employee(factory, org.id, number="E-002", details=True)
    with factory.session() as session:
        consent = session.scalar(
            select(ConsentRecord).where(ConsentRecord.employee_id == employee_id)
        )
        consent.withdrawn_at = at(2026, 11, 20, 9, 0)

    first = run(app, "consent_withdrawals", at(2026, 11, 20, 10, 0))
    assert (first.outcome, first.changed) == ("succeeded", 1)
    with factory.session() as session:
        assert session.get(Employee, employee_id).disability_categories is None
        assert set(session.get(Employee, kept_id).disability_categories) == {"sensory", "physical"}
    purged = AuditEvent.action == "employee.disability_details_purged"
    assert count(factory, AuditEvent, purged) == 1

    assert run(app, "consent_withdrawals", at(2026, 11, 20, 11, 0)).changed == 0
    assert count(factory, AuditEvent, purged) == 1


# --- evidence expiry -------------------------------------------------------------------------


def test_expiring_evidence_is_reminded_once(app, factory, outbox):
    org = factory.org()
    soon = make_employee(factory, org.id, number="E-SOON", details=True)
    make_employee(factory, org.id, number="E-LATER", details=True)  # expires 2029
    with factory.session() as session:
        session.get(Employee, soon).evidence_expires_on = date(2026, 12, 15)

    first = run(app, "evidence_expiry", at(2026, 11, 23, 1, 30))
    assert first.changed == 1
    [mail] = mails(outbox)
    assert "E-SOON" in mail
    assert "15 Des 2026" in mail  # as the pages write a date
    assert "E-LATER" not in mail
    assert "Sari Dewi" not in mail  # employee numbers only, no names

    assert run(app, "evidence_expiry", at(2026, 11, 24, 1, 30)).changed == 0
    assert len(mails(outbox)) == 1


@pytest.mark.parametrize("name", ["deadline_reminders", "monthly_snapshot", "evidence_expiry"])
def test_jobs_with_nothing_to_do_succeed(app, name):
    assert run(app, name, at(2026, 11, 23)).outcome == "succeeded"


def test_disability_details_go_five_years_after_employment_ended(app, factory):
    org = factory.org()
    long_gone = make_employee(factory, org.id, number="E-2019", details=True)
    recent = make_employee(factory, org.id, number="E-2023", details=True)
    with factory.session() as session:
        session.get(Employee, long_gone).end_date = date(2021, 6, 30)
        session.get(Employee, recent).end_date = date(2023, 3, 31)

    first = run(app, "roster_retention", at(2026, 11, 23, 3, 0))
    assert (first.outcome, first.changed) == ("succeeded", 1)
    with factory.session() as session:
        gone = session.get(Employee, long_gone)
        assert (gone.disability_categories, gone.evidence_number) == (None, None)
        assert gone.employee_number == "E-2019"  # the roster entry stays for past declarations
        assert session.get(Employee, recent).disability_categories is not None
        reasons = session.scalars(
            select(AuditEvent.data).where(AuditEvent.action == "employee.disability_details_purged")
        ).all()
    assert reasons == [{"reason": "retention", "years": 5}]
    assert run(app, "roster_retention", at(2026, 11, 24, 3, 0)).changed == 0


def test_every_scheduled_job_runs_on_the_demo_data_and_a_second_run_changes_nothing(app):
    """Each entry of the schedule, on realistic data (the demo organisations, roster, registry
    and referral): it succeeds, and running it again at the same time is a no-op."""
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    now = at(2027, 2, 1, 2, 0)  # past the demo periods' due dates: reminders and flags apply
    for job in JOBS:
        first = run(app, job.name, now)
        assert first.outcome == "succeeded", (job.name, first.error)
        again = run(app, job.name, now)
        assert (again.outcome, again.changed) == ("succeeded", 0), (job.name, again.error)
