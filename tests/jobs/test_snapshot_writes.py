"""The monthly snapshot writes a chunk's months in one statement at the chunk's end: an
organisation costs no statement of its own, a month another process froze meanwhile is kept as
it is (the unique constraint decides), and a chunk whose write fails keeps nothing and is done
again by the next run. Statement counts, not timings (bench/national.py times the job)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from compliance.extensions import db
from compliance.jobs import snapshots
from compliance.models.jobs import MonthlySnapshot
from compliance.models.organizations import Organization
from tests.jobs.test_jobs import at, count, record_figures, run

OCTOBER = date(2026, 10, 1)
NOW = at(2026, 11, 5, 2, 0)


def _orgs_with_october(factory, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        org = factory.org()
        record_figures(factory, org.id, OCTOBER, permanent=150)
        ids.append(org.id)
    return ids


def _statements_of_a_run(app) -> tuple[int, int]:
    found: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        found.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counted)
        try:
            changed = run(app, "monthly_snapshot", NOW).changed
        finally:
            event.remove(db.engine, "before_cursor_execute", counted)
    return len(found), changed


def test_the_snapshot_statements_do_not_grow_with_organisations(app, factory):
    _orgs_with_october(factory, 3)
    few, changed = _statements_of_a_run(app)
    assert changed == 3
    with factory.session() as session:
        session.execute(MonthlySnapshot.__table__.delete())
    _orgs_with_october(factory, 6)
    more, changed = _statements_of_a_run(app)
    assert changed == 9
    # Three times the organisations, the same statements: the chunk's reads and one insert
    # (no savepoint an organisation, no insert an organisation).
    assert more == few, (few, more)


def test_a_month_frozen_meanwhile_by_another_process_is_kept_as_it_was(app, factory, monkeypatch):
    first, second = _orgs_with_october(factory, 2)
    # Another process froze the first organisation's October after this run read which months
    # were frozen: the run does not see it, computes it too, and must not write it twice.
    with factory.session() as session:
        session.add(
            MonthlySnapshot(
                organization_id=first,
                month=OCTOBER,
                status="shortfall",
                denominator=150,
                required=2,
                pack_id="the other run's",
                input_sha256="0" * 64,
                data={"format": 1, "establishments": []},
                frozen_at=NOW,
            )
        )
    # Both reads came before the other process's commit: the candidates and the frozen months.
    monkeypatch.setattr(snapshots, "_may_freeze", lambda _months: select(Organization.id))
    monkeypatch.setattr(snapshots, "_frozen", lambda *_args: {})

    finished = run(app, "monthly_snapshot", NOW)

    assert (finished.outcome, finished.failed) == ("succeeded", 0)
    with factory.session() as session:
        rows = session.execute(
            select(MonthlySnapshot.organization_id, MonthlySnapshot.pack_id).order_by(
                MonthlySnapshot.organization_id
            )
        ).all()
    assert rows[0] == (first, "the other run's")
    assert [organization_id for organization_id, _ in rows] == [first, second]


def test_a_chunk_whose_write_fails_keeps_nothing_and_the_next_run_does_it(
    app, factory, monkeypatch
):
    _orgs_with_october(factory, 3)
    real_write = snapshots._write

    def refused(*_args) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(snapshots, "_write", refused)
    broken = run(app, "monthly_snapshot", NOW)
    assert (broken.outcome, broken.processed, broken.changed, broken.failed) == ("partial", 0, 0, 3)
    assert "disk full" in broken.error
    assert count(factory, MonthlySnapshot) == 0

    monkeypatch.setattr(snapshots, "_write", real_write)
    mended = run(app, "monthly_snapshot", NOW)
    assert (mended.outcome, mended.changed, mended.failed) == ("succeeded", 3, 0)
    assert count(factory, MonthlySnapshot) == 3
