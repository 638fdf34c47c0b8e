"""The deadline reminders read a chunk of organisations in a few queries: the statements of a
run grow by a small constant per organisation reminded (its own writes), not by its reads.

Statement counts, not timings: the issue's target (every job under 10 minutes at 500,000
organisations) is measured by bench/reminders.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, func, select

from compliance.extensions import db
from compliance.jobs.reminders import remind_deadlines
from compliance.jobs.runner import run_job
from compliance.models.jobs import JobNotice
from tests.support.clock import today

#: One organisation's own statements: reading it, its message and its notice, and the
#: message's delivery (in-process, after the commit: read for update, marked sent).
PER_ORGANIZATION = 5


def _statements(app, now: datetime) -> tuple[int, int]:
    """The statements of one run of the deadline reminders, and how many it changed."""
    found: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            found.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counted)
        try:
            run = run_job(db.session(), "deadline_reminders", remind_deadlines, now)
            changed = run.changed
        finally:
            event.remove(db.engine, "before_cursor_execute", counted)
            db.session.remove()
    return len(found), changed


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def test_reminder_statements_do_not_grow_with_reads_per_organisation(app, factory, outbox):
    n = 4
    year = today().year  # organisations registered today: this year's period is due in January
    for _ in range(n):
        factory.org()
    few, changed = _statements(app, _at(year + 1, 1, 2, 1, 0))  # 30 days before
    assert changed == n
    for _ in range(n):
        factory.org()
    more, changed = _statements(app, _at(year + 1, 1, 25, 1, 0))  # 7 days before, all 2n
    assert changed == 2 * n
    overhead = 2 * few - more  # the run's own: its record, the list of organisations, a chunk
    assert more - few <= PER_ORGANIZATION * n, (few, more)
    assert overhead <= 12, (few, more)
    # Nothing to send: reading the organisation is the only statement of its own.
    idle, changed = _statements(app, _at(year + 1, 1, 26, 1, 0))
    assert changed == 0
    assert idle - overhead <= 2 * n, (idle, overhead)
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(JobNotice)) == 3 * n
