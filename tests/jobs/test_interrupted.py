"""A job interrupted half-way (issue 19, "Bad input") goes on at its next run without doing
anything twice: what it committed stays, and only what it had not reached is done."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from compliance.extensions import db
from compliance.jobs import summaries
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import job_named
from compliance.models.inspections import ComplianceSummary
from compliance.models.jobs import JobNotice, JobRun
from compliance.services import emails
from compliance.services.inspections import rebuild
from tests.support.clock import today


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def run(app, name: str, now: datetime) -> JobRun:
    with app.app_context():
        record = run_job(db.session(), name, job_named(name).function, now)
        db.session.refresh(record)
        db.session.expunge(record)
        db.session.remove()
        return record


def count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_an_interrupted_summary_rebuild_goes_on_after_its_last_batch(app, factory, monkeypatch):
    orgs = sorted(factory.org().id for _ in range(3))
    monkeypatch.setattr(rebuild, "BATCH_SIZE", 1)
    real = summaries.rebuild_batch
    rebuilt: list[int] = []

    def killed_at_the_third(session, ids, **kwargs):
        if ids == [orgs[2]]:
            raise RuntimeError("scheduler killed")
        rebuilt.extend(ids)
        return real(session, ids, **kwargs)

    monkeypatch.setattr(summaries, "rebuild_batch", killed_at_the_third)
    now = at(today().year, 6, 3, 0, 30)
    broken = run(app, "compliance_summaries", now)
    assert broken.outcome == "failed"
    assert "scheduler killed" in broken.error
    assert rebuilt == orgs[:2]
    assert count(factory, ComplianceSummary) == 2  # the two committed batches stay

    def recorded(session, ids, **kwargs):
        rebuilt.extend(ids)
        return real(session, ids, **kwargs)

    rebuilt.clear()
    monkeypatch.setattr(summaries, "rebuild_batch", recorded)
    mended = run(app, "compliance_summaries", now)
    assert (mended.outcome, mended.processed, mended.changed) == ("succeeded", 1, 1)
    assert rebuilt == orgs[2:]  # the first two are not rebuilt again
    assert count(factory, ComplianceSummary) == 3

    # A finished rebuild lets the next run start afresh, and nothing came out different.
    rebuilt.clear()
    again = run(app, "compliance_summaries", now)
    assert (again.outcome, again.processed, again.changed) == ("succeeded", 3, 0)
    assert rebuilt == orgs


def test_interrupted_deadline_reminders_send_nothing_twice(app, factory, outbox, monkeypatch):
    first, second = factory.org(name="PT Pertama"), factory.org(name="PT Kedua")
    year = today().year
    real = emails.send_to_hr_managers

    def mail_server_gone_for_the_second(session, organization_id, *args, **kwargs):
        if organization_id == second.id:
            raise ConnectionError("mail server gone")
        return real(session, organization_id, *args, **kwargs)

    monkeypatch.setattr(emails, "send_to_hr_managers", mail_server_gone_for_the_second)
    broken = run(app, "deadline_reminders", at(year + 1, 1, 2, 1, 0))
    assert (broken.outcome, broken.changed, broken.failed) == ("partial", 1, 1)
    assert len(list(outbox.glob("*.eml"))) == 1

    monkeypatch.setattr(emails, "send_to_hr_managers", real)
    mended = run(app, "deadline_reminders", at(year + 1, 1, 2, 2, 0))
    assert (mended.outcome, mended.changed, mended.failed) == ("succeeded", 1, 0)
    assert len(list(outbox.glob("*.eml"))) == 2  # the first organisation is not mailed again
    with factory.session() as session:
        noticed = sorted(session.scalars(select(JobNotice.organization_id)))
    assert noticed == sorted([first.id, second.id])
