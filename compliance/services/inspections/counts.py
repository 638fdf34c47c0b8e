"""Summary rows kept counted per province and status of record (`ComplianceCount`).

The admin's national summary shows, per province, how many organisations it ranks and how many
are overdue. Counting them from the summary costs two passes over every row (600,000 at
national size, 70-150 ms each however it is indexed); these counts answer from a few hundred
rows. They are kept the way the area totals are (`totals.py`): each refresh adds the difference
between the organisation's rows before and after, read back from the rows themselves in the
same transaction, with one upsert per changed key so concurrent refreshes add up; a rebuild
counts them again from the rows. A rebuild's batch adds its difference too, so between
batches (each its own transaction) the counts still equal the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from compliance.models.inspections import ComplianceCount
from compliance.models.inspections import ComplianceSummary as S
from compliance.services.inspections.totals import add_to_row

#: (province, status, declared, due date, zone): the columns `overdue_clause` reads.
Key = tuple[str, str, bool, date, str]
KEY_COLUMNS = (S.province_code, S.status, S.is_due_declared, S.due_on, S.zone)


def counts_of(session: Session, organization_ids: Collection[int]) -> Counter[Key]:
    """The organisations' summary rows as they stand, by key."""
    rows = session.execute(
        select(*KEY_COLUMNS, func.count())
        .where(S.organization_id.in_(sorted(organization_ids)))
        .group_by(*KEY_COLUMNS)
    )
    return Counter({(p, s, bool(d), due, z): int(n) for p, s, d, due, z, n in rows})


def apply_count_difference(session: Session, old: Counter[Key], new: Counter[Key]) -> None:
    for key in sorted(old.keys() | new.keys()):
        delta = new[key] - old[key]
        if not delta:
            continue
        province, status, declared, due_on, zone = key
        add_to_row(
            session,
            ComplianceCount.__table__,
            {
                "province_code": province,
                "status": status,
                "is_due_declared": declared,
                "due_on": due_on,
                "zone": zone,
            },
            {"organizations": delta},
        )


def rebuild_counts(session: Session) -> None:
    """Count every summary row again, replacing the kept counts (one grouped read)."""
    session.execute(delete(ComplianceCount))
    session.execute(
        insert(ComplianceCount).from_select(
            ["province_code", "status", "is_due_declared", "due_on", "zone", "organizations"],
            select(*KEY_COLUMNS, func.count()).group_by(*KEY_COLUMNS),
        )
    )
