"""Counts of people by disability category per regency, kept encrypted beside the rows they sum.

Disability categories are specific personal data (UU 27/2022 Pasal 4(2)(a)), encrypted at rest
(`models.types`), so SQL cannot group by them: counting them meant decrypting every active
candidate and every consenting employee in reach, 1 s for the admin's national statistics at
50,000 candidates. `CategoryCount` holds the same counts, already summed, in rows per kind and
regency: for `candidates`, active candidates by (category, availability); for `employed`,
current employees with active consent by (category, sector of their organisation), placed in
the regency of their establishment. The national page decrypts 2 x 514 small rows instead of
60,000.

Why encrypted rows of counts, and not plain counts or a plain category column:
- a plain category column on each row would put a person's disability next to their row in
  every dump, backup and replica, which is what the encryption is for (DESIGN.md section 6);
- plain counts are not harmless either: a cell of one (one consenting worker with a mental
  disability at one employer's establishments in a regency, one active candidate of a small
  regency) names that person's category to anyone reading a dump, beside plain roster names;
  and comparing two dumps shows which cell one person's change moved.
Encrypted with the same keys as the rows, a dump shows one opaque value per regency, freshly
encrypted at every change; pages still show only sums over the viewer's reach, with small
employment cells suppressed (`services.registry.statistics`).

Upkeep, in the same transaction as the change: before each flush the listener reads the
current contribution of every candidate and employee the flush may change (their rows as
stored, decrypted: only those rows), after the flush it reads them again, and inserts the
difference as a row of its own per regency concerned. Only inserts: a shared row rewritten by
every change would be locked by each writer until its commit, so HR managers of one city
(or a roster import and a person's edit) would wait for one another, and two transactions
touching two regencies in turn could deadlock. A regency's count is the sum of its rows;
`services.registry.counts.rebuild_counts` (nightly, and `flask registry recount`) recounts
everything from the people's rows and folds each regency back into one row, which also mends
anything a future writer forgets. It reads what the database holds rather than guessing from
attribute history, so any ORM write is covered, whichever service made it (moving an
establishment or changing an organisation's sector included). Writers that bypass the ORM (the
roster import's COPY and executemany) call `employed_counts_of` and `add_difference` around
their batch.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    ForeignKey,
    Index,
    String,
    Table,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from compliance.models.base import Base
from compliance.models.organizations import Establishment, Organization
from compliance.models.people import ConsentRecord, Employee
from compliance.models.registry import Candidate, CandidateStatus
from compliance.models.types import EncryptedText

CANDIDATES = "candidates"
EMPLOYED = "employed"
#: (regency code, category, availability or sector)
Key = tuple[str, str, str]

_PENDING = "counts.pending"
_CANDIDATE_FIELDS = ("status", "availability", "regency_code", "disability_categories")
_EMPLOYEE_FIELDS = ("disability_categories", "end_date", "establishment_id", "organization_id")


class CategoryCount(Base):
    """Counts (or a change of them) of one kind in one regency, as an encrypted JSON list of
    [category, group, n]; a regency's count is the sum of its rows.

    A plain id as the key, as every table with an encrypted column has: `flask keys rotate`
    rewrites the values row by row through it."""

    __tablename__ = "category_counts"
    __table_args__ = (Index("ix_category_counts_kind_regency_code", "kind", "regency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    regency_code: Mapped[str] = mapped_column(
        String(5), ForeignKey("regencies.code"), nullable=False
    )
    counts: Mapped[str] = mapped_column(EncryptedText, nullable=False)


def encode(counts: Counter[tuple[str, str]]) -> str:
    return json.dumps(sorted([c, g, n] for (c, g), n in counts.items() if n), separators=(",", ":"))


def decode(text: str | None) -> Counter[tuple[str, str]]:
    return Counter({(str(c), str(g)): int(n) for c, g, n in json.loads(text or "[]")})


def candidate_counts_of(connection: Connection, where: ColumnElement[bool]) -> Counter[Key]:
    """What the active candidates matching `where` count (decrypted here)."""
    c = cast(Table, Candidate.__table__).c
    rows = connection.execute(
        select(c.regency_code, c.availability, c.disability_categories).where(
            where, c.status == CandidateStatus.ACTIVE
        )
    )
    counts: Counter[Key] = Counter()
    for regency, availability, categories in rows:
        for category in categories or ():
            counts[(regency, category, str(availability))] += 1
    return counts


def employed_counts_of(connection: Connection, where: ColumnElement[bool]) -> Counter[Key]:
    """What the employees matching `where` count: those still employed (no end date) whose
    consent is active, as the statistics always counted them."""
    query = (
        select(Establishment.regency_code, Organization.sector, Employee.disability_categories)
        .join(Establishment, Establishment.id == Employee.establishment_id)
        .join(Organization, Organization.id == Employee.organization_id)
        .where(where, Employee.has_active_consent, Employee.end_date.is_(None))
    )
    counts: Counter[Key] = Counter()
    for regency, sector, categories in connection.execute(query):
        for category in categories or ():
            counts[(regency, category, str(sector))] += 1
    return counts


def difference(before: Counter[Any], after: Counter[Any]) -> Counter[Any]:
    """`after - before`, keeping negative changes (Counter subtraction drops them)."""
    change: Counter[Any] = Counter(after)
    change.subtract(before)
    return change


def add_difference(connection: Connection, kind: str, change: Counter[Key]) -> None:
    """Add `change` to the regencies' counts, in the caller's transaction: one new row per
    regency, never a rewrite of another transaction's row (see the module docstring)."""
    by_regency: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for (regency, category, group), n in change.items():
        if n:
            by_regency[regency][(category, group)] += n
    if by_regency:
        connection.execute(
            insert(cast(Table, CategoryCount.__table__)),
            [
                {"kind": kind, "regency_code": regency, "counts": encode(counts)}
                for regency, counts in sorted(by_regency.items())
            ],
        )


@dataclass
class _Pending:
    """What one flush may change, and what those rows counted before it."""

    candidates: list[Candidate] = field(default_factory=list)
    employees: list[Employee] = field(default_factory=list)
    employee_ids: set[int] = field(default_factory=set)
    candidates_before: Counter[Key] = field(default_factory=Counter)
    employed_before: Counter[Key] = field(default_factory=Counter)


def _changed(obj: Any, fields: Iterable[str], session: Session) -> bool:
    """New, deleted, or a field the counts read has changed (an edit of a name costs nothing)."""
    if obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _collect(session: Session) -> tuple[_Pending, list[Any]]:
    """The candidates and employees a flush may change; and, for establishments that move and
    organisations whose sector changes, the criteria that find their employees."""
    pending = _Pending()
    wider: list[Any] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Candidate) and _changed(obj, _CANDIDATE_FIELDS, session):
            pending.candidates.append(obj)
        elif isinstance(obj, Employee) and _changed(obj, _EMPLOYEE_FIELDS, session):
            pending.employees.append(obj)
        elif isinstance(obj, ConsentRecord):
            employee_id = obj.employee_id or getattr(obj.employee, "id", None)
            if employee_id:
                pending.employee_ids.add(employee_id)
        elif isinstance(obj, Establishment) and obj.id and _changed(obj, ["regency_code"], session):
            wider.append(Employee.establishment_id == obj.id)
        elif isinstance(obj, Organization) and obj.id and _changed(obj, ["sector"], session):
            wider.append(Employee.organization_id == obj.id)
    return pending, wider


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    pending, wider = _collect(session)
    if not (pending.candidates or pending.employees or pending.employee_ids or wider):
        return
    connection = session.connection()
    for criterion in wider:
        pending.employee_ids.update(connection.scalars(select(Employee.id).where(criterion)))
    pending.employee_ids.update(e.id for e in pending.employees if e.id)
    candidate_ids = sorted(c.id for c in pending.candidates if c.id)
    if candidate_ids:
        pending.candidates_before = candidate_counts_of(connection, Candidate.id.in_(candidate_ids))
    if pending.employee_ids:
        pending.employed_before = employed_counts_of(
            connection, Employee.id.in_(sorted(pending.employee_ids))
        )
    session.info[_PENDING] = pending


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    pending = session.info.pop(_PENDING, None)
    if not isinstance(pending, _Pending):
        return
    connection = session.connection()
    candidate_ids = sorted({c.id for c in pending.candidates if c.id})
    if candidate_ids:
        after = candidate_counts_of(connection, Candidate.id.in_(candidate_ids))
        add_difference(connection, CANDIDATES, difference(pending.candidates_before, after))
    employee_ids = sorted(pending.employee_ids | {e.id for e in pending.employees if e.id})
    if employee_ids:
        after = employed_counts_of(connection, Employee.id.in_(employee_ids))
        add_difference(connection, EMPLOYED, difference(pending.employed_before, after))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)
