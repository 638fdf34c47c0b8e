"""One computation per question within one unit of work.

The gap page asks for its period's result, and the status of record (the periods needing
action, listed on the same page) asks for the very same one: with a 20,000-person roster each
answer reads and judges the whole roster (bench/gap_page.py). So the answer is kept on the
session, keyed by everything it depends on, and forgotten as soon as the session writes,
commits or rolls back: a request never sees a result older than its own changes, and nothing
outlives the request (Flask-SQLAlchemy ends the session with the app context).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from compliance.models.tenancy import current_reach

KEY = "kuota.reused"

T = TypeVar("T")


def reused(session: Session, key: Hashable, work: Callable[[], T]) -> T:
    """`work()`, or what it returned for `key` earlier in this unit of work (within the same
    tenant reach). A failure is not kept: asking again fails again."""
    kept: dict[Hashable, Any] = session.info.setdefault(KEY, {})
    full = (key, current_reach(session))
    if full not in kept:
        kept[full] = work()
    result: T = kept[full]
    return result


def kept(session: Session, key: Hashable) -> object | None:
    """What `reused` kept for `key` in this unit of work, if anything."""
    return session.info.get(KEY, {}).get((key, current_reach(session)))


def forget(session: Session) -> None:
    session.info.pop(KEY, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    forget(session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _after_transaction(session: Session) -> None:
    forget(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_soft_rollback(session: Session, _previous: Any) -> None:
    forget(session)


@event.listens_for(Session, "do_orm_execute")
def _after_write(state: ORMExecuteState) -> None:
    # An INSERT, UPDATE or DELETE run through the session without a flush (bulk writes).
    if not state.is_select:
        forget(state.session)
