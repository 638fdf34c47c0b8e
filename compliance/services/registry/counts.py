"""People by disability category in an actor's reach, read from the kept counts.

The one reader of `models.counts` (the statistics page of an officer or an admin, and whatever
shows these numbers next): the encrypted rows of the regencies in reach, summed here, so the admin's
national page decrypts about a thousand small rows instead of 60,000 people's categories. The
counts are kept in the transaction of every change (`models.counts`, which also says why they
are encrypted and added as rows of their own); `rebuild_counts` recounts them from the rows.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select, true
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User
from compliance.models.counts import (
    CANDIDATES,
    EMPLOYED,
    CategoryCount,
    Key,
    add_difference,
    candidate_counts_of,
    decode,
    difference,
    employed_counts_of,
)
from compliance.models.organizations import Sector
from compliance.models.registry import Availability
from compliance.models.tenancy import nothing


def _in_reach(actor: User) -> ColumnElement[bool]:
    """The regencies the actor answers for: all for an admin, an officer's own otherwise (as
    the tenant scope reads candidates; the counts are not tenant-scoped themselves)."""
    if actor.role is Role.ADMIN:
        return true()
    regencies = actor.reach().regency_codes
    return CategoryCount.regency_code.in_(sorted(regencies)) if regencies else nothing()


def _summed(session: Session, actor: User, kind: str) -> Counter[tuple[str, str]]:
    """The regencies' counts added up (a plain loop: the admin's page adds 514 of them)."""
    total: dict[tuple[str, str], int] = {}
    query = select(CategoryCount.counts).where(CategoryCount.kind == kind, _in_reach(actor))
    for text in session.scalars(query):
        for category, group, n in json.loads(text):
            key = (category, group)
            total[key] = total.get(key, 0) + n
    return Counter(total)


def candidates_by_category(session: Session, actor: User) -> Counter[tuple[str, Availability]]:
    """Active candidates in reach by category and availability."""
    summed = _summed(session, actor, CANDIDATES)
    return Counter({(c, Availability(a)): n for (c, a), n in summed.items() if n})


def employed_by_category(session: Session, actor: User) -> Counter[tuple[str, Sector]]:
    """Current, consenting employees in establishments in reach, by category and sector."""
    summed = _summed(session, actor, EMPLOYED)
    return Counter({(c, Sector(s)): n for (c, s), n in summed.items() if n})


def rebuild_counts(session: Session, _now: datetime | None = None) -> int:
    """Recount both kinds from the encrypted rows and fold each regency into one row; how many
    regencies' counts were wrong.

    The upkeep in `models.counts` keeps the sums right, adding a row per change; this folds
    those rows (nightly, so a regency has a day's changes at most to add up) and is the safety
    net for what the upkeep cannot see (a writer added later that bypasses the ORM, a hand
    edit, a restore); also `flask registry recount`. It takes as long as the old statistics
    page did (every row decrypted once), so it runs as a job, never on a page; in the caller's
    transaction, so the counts change at its commit. Time changes nothing here (`_now` is the
    jobs' signature).
    """
    connection = session.connection()
    wrong = 0
    for kind, count_of in ((CANDIDATES, candidate_counts_of), (EMPLOYED, employed_counts_of)):
        stored: Counter[Key] = Counter()
        rows = connection.execute(
            select(CategoryCount.regency_code, CategoryCount.counts).where(
                CategoryCount.kind == kind
            )
        )
        for regency, text in rows:
            for (category, group), n in decode(text).items():
                stored[(regency, category, group)] += n
        fresh = count_of(connection, true())
        change = difference(stored, fresh)
        wrong += len({regency for (regency, _c, _g), n in change.items() if n})
        connection.execute(delete(CategoryCount).where(CategoryCount.kind == kind))
        add_difference(connection, kind, fresh)
    return wrong
