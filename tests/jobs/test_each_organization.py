"""`runner.each_organization` (issue 19): only the organisations a job may have work for, a
chunk's rows read at once, one transaction per chunk, and a savepoint per organisation so that
one organisation's failure still leaves nothing of its own and keeps the others'."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from compliance.extensions import db
from compliance.jobs import runner
from compliance.jobs.runner import RunCounts, each_organization, run_batch, run_job
from compliance.models import Organization
from compliance.models.jobs import JobNotice
from compliance.models.mail import OutgoingMail
from compliance.models.tenancy import current_reach
from compliance.services import emails
from tests.support.mail import sent_mails

NOW = datetime(2026, 11, 16, 3, 0, tzinfo=UTC).replace(tzinfo=None)


def visit(app, work, **options) -> RunCounts:
    """Run `each_organization` in-process, as a job outside a scheduled run would."""
    with app.app_context():
        counts = RunCounts()
        each_organization(db.session(), counts, work, **options)
        db.session.remove()
    return counts


def recording(visited: list[int]):
    def work(session: Session, organization: Organization) -> int:
        visited.append(organization.id)
        return 0

    return work


def only_ids(*ids: int):
    return select(Organization.id).where(Organization.id.in_(ids))


def notice(session: Session, organization_id: int) -> None:
    session.add(JobNotice(organization_id=organization_id, kind="test", subject="s", recipients=0))
    session.flush()


def test_only_the_organisations_the_query_finds_are_looked_at(app, factory):
    first, skipped, last = (factory.org().id for _ in range(3))
    visited: list[int] = []
    counts = visit(app, recording(visited), only=only_ids(last, first, 999_999))
    assert visited == [first, last]  # in id order; an id with no organisation is no visit
    assert (counts.processed, counts.changed, counts.failed) == (2, 0, 0)
    assert skipped not in visited


def test_without_only_every_organisation_is_looked_at(app, factory):
    ids = [factory.org().id for _ in range(3)]
    visited: list[int] = []
    assert visit(app, recording(visited)).processed == 3
    assert visited == ids


def test_a_batch_of_a_fanned_out_job_looks_at_its_organisations_the_query_finds(app, factory):
    a, b, c = (factory.org().id for _ in range(3))
    visited: list[int] = []

    def job(session, now, counts):
        each_organization(session, counts, recording(visited), only=only_ids(b, c))

    with app.app_context():
        counts = run_batch(db.session(), "test", job, NOW, [a, b])
        db.session.remove()
    assert visited == [b]  # c is another batch's
    assert counts.processed == 1


def test_a_fanned_out_run_queues_the_candidates_only(app, factory, monkeypatch):
    ids = [factory.org().id for _ in range(5)]
    queued: list[list[int]] = []
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    monkeypatch.setattr(runner, "fans_out", lambda: True)
    monkeypatch.setattr(
        runner, "enqueue", lambda session, task, **args: queued.append(args["organization_ids"])
    )

    def job(session, now, counts):
        each_organization(session, counts, recording([]), only=only_ids(*ids[1:4]))

    with app.app_context():
        record = run_job(db.session(), "test", job, NOW)
        assert record.processed == 3  # queued
        db.session.remove()
    assert queued == [ids[1:3], ids[3:4]]


def test_prepare_reads_each_chunk_before_its_work_and_sees_everything(app, factory, monkeypatch):
    a, b, c = (factory.org().id for _ in range(3))
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    seen: list[tuple] = []

    def prepare(session: Session, ids: list[int]) -> None:
        seen.append(("prepare", ids, current_reach(session).everything))

    def work(session: Session, organization: Organization) -> int:
        seen.append(("work", organization.id, current_reach(session).organization_id))
        return 1

    counts = visit(app, work, prepare=prepare)
    assert seen == [
        ("prepare", [a, b], True),
        ("work", a, a),
        ("work", b, b),
        ("prepare", [c], True),
        ("work", c, c),
    ]
    assert (counts.processed, counts.changed) == (3, 3)


def test_what_prepare_opens_stays_open_for_its_chunk_and_closes_before_the_commit(
    app, factory, monkeypatch
):
    from contextlib import contextmanager

    a, b, c = (factory.org().id for _ in range(3))
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    seen: list[tuple] = []

    @contextmanager
    def chunk_rows(ids: list[int]):
        seen.append(("open", ids))
        yield
        seen.append(("close", ids))

    def work(session: Session, organization: Organization) -> int:
        seen.append(("work", organization.id))
        return 1

    def committed(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # the chunk's commit, not a savepoint's release
            seen.append(("commit",))

    event.listen(db.session, "after_transaction_end", committed)
    try:
        visit(app, work, prepare=lambda session, ids: chunk_rows(ids))
    finally:
        event.remove(db.session, "after_transaction_end", committed)
    assert seen == [
        ("open", [a, b]),
        ("work", a),
        ("work", b),
        ("close", [a, b]),
        ("commit",),
        ("open", [c]),
        ("work", c),
        ("close", [c]),
        ("commit",),
    ]


def test_a_failing_prepare_loses_its_chunk_only(app, factory, monkeypatch):
    a, b, c = (factory.org().id for _ in range(3))
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)

    def prepare(session: Session, ids: list[int]) -> None:
        if a in ids:
            raise RuntimeError("chunk unreadable")

    def work(session: Session, organization: Organization) -> int:
        notice(session, organization.id)
        return 1

    counts = visit(app, work, prepare=prepare)
    assert (counts.processed, counts.changed, counts.failed) == (1, 1, 2)
    assert counts.errors == [f"organisations {a}-{b}: RuntimeError('chunk unreadable')"]
    with factory.session() as session:
        assert list(session.scalars(select(JobNotice.organization_id))) == [c]


def test_one_commit_per_chunk(app, factory, monkeypatch):
    for _ in range(5):
        factory.org()
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    transactions: list[str] = []

    def work(session: Session, organization: Organization) -> int:
        notice(session, organization.id)
        return 1

    def ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.nested or transaction.parent is None:  # not a flush's own
            transactions.append("savepoint" if transaction.nested else "transaction")

    with app.app_context():
        event.listen(db.session(), "after_transaction_end", ended)
        counts = RunCounts()
        each_organization(db.session(), counts, work)
        db.session.remove()
    assert counts.processed == 5
    assert transactions.count("transaction") == 3  # one per chunk of two (the first reads the ids)
    assert transactions.count("savepoint") == 5


@pytest.mark.parametrize("fails_at", [0, 1, 2])
@pytest.mark.parametrize("failure", ["raises", "flush refused"])
def test_a_failing_organisation_leaves_nothing_and_its_chunk_keeps_the_others(
    app, factory, outbox, fails_at, failure
):
    """Its notice, its mail and the mail's delivery go with its savepoint; the others of the
    same chunk (and transaction) are committed and mailed, whether it fails first or last, by
    raising or by a write the database refuses."""
    orgs = [factory.org(name=f"PT Ke-{n}") for n in range(3)]
    failing = orgs[fails_at]

    def work(session: Session, organization: Organization) -> int:
        notice(session, organization.id)
        emails.send_to_hr_managers(
            session,
            organization.id,
            "deadline_reminder",
            year=2026,
            due=date(2027, 1, 31),
            is_overdue=False,
            action_url="https://kuota.example/declarations",
        )
        if organization.id == failing.id:
            if failure == "raises":
                raise RuntimeError("after writing")
            notice(session, organization.id)  # the same notice twice: a unique key refuses it
        return 1

    counts = visit(app, work)
    assert (counts.processed, counts.changed, counts.failed) == (2, 2, 1)
    assert counts.errors[0].startswith(f"organisation {failing.id}: ")
    kept = sorted(org.id for org in orgs if org is not failing)
    with factory.session() as session:
        assert sorted(session.scalars(select(JobNotice.organization_id))) == kept
        recipients = sorted(session.scalars(select(OutgoingMail.recipient)))
    assert recipients == sorted(org.hr_email for org in orgs if org is not failing)
    mails = sent_mails(outbox)
    assert sorted(mail.to for mail in mails) == recipients
