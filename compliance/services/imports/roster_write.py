"""Writing a validated roster import: compare with the stored roster, write only the changes.

Rows go through SQLAlchemy Core in batches, not the ORM: at 100,000 rows the ORM's unit of work
costs ~10x more (TOOLING.md). New rows are inserted with `bulk.insert_rows` (COPY on PostgreSQL),
changed rows updated with executemany. The encrypted columns keep their column types, so each
written value is still freshly encrypted; comparing needs the stored values decrypted, which is
done only for employees whose row carries disability details.

Each batch writes the consent records of its rows with the rows themselves, so a background
import, which commits batch by batch, never leaves disability details stored without their
consent, however it ends (a crash, a restart, a discard). The new employees' ids come from a
primary-key range: the largest id before the batch's insert is noted, and the batch's employees
are those above it (an IN list of their numbers planned badly on PostgreSQL on a table that had
just grown, seconds per batch). Existing employees' ids are known from the start (`_stored`).

An empty set of disability columns leaves stored details alone (a file exported without the
sensitive columns must not erase them), except under a consent renewed after a withdrawal: the
details kept from before it are cleared, not revived. Changed evidence loses its verification,
as on the form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, cast

from sqlalchemy import Table, Text, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.counts import EMPLOYED, add_difference, difference, employed_counts_of
from compliance.models.organizations import Establishment, Organization
from compliance.models.people import ConsentRecord, Employee, VerificationState
from compliance.models.types import EncryptedList, EncryptedText
from compliance.services.imports.bulk import insert_rows
from compliance.services.imports.figure_rows import WriteCounts
from compliance.services.imports.roster_rows import DetailsIn, RosterRow, consent_states

_CORE = ("name", "establishment_id", "employment_type", "start_date", "end_date")
_DETAILS = (
    "disability_categories",
    "accommodation",
    "evidence_type",
    "evidence_number",
    "evidence_date",
    "evidence_expires_on",
)
_EVIDENCE = frozenset(_DETAILS[2:])
_ENCRYPTED = ("disability_categories", "accommodation", "evidence_number")
_VERIFICATION = ("verification_state", "verified_at", "verified_by_id")


@dataclass
class _Plan:
    inserts: list[dict[str, Any]]
    core_updates: list[dict[str, Any]]
    detail_updates: list[dict[str, Any]]
    consents: list[tuple[str, RosterRow]]
    updated: int = 0
    unchanged: int = 0


def write_roster(
    session: Session,
    organization_id: int,
    actor_id: int | None,
    rows: list[RosterRow],
    progress: Callable[[int], None],
    batch_size: int = 2000,
) -> WriteCounts:
    table = cast(Table, Employee.__table__)
    states = consent_states(session, organization_id)
    now = utcnow()
    stored = _stored(session, organization_id, rows)
    created = updated = unchanged = 0
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        plan = _plan(batch, stored, states, organization_id, now)
        # The whole table's largest id: one probe of the primary key (new ids only grow).
        watermark = (session.scalar(select(func.max(table.c.id))) or 0) if plan.inserts else 0
        touched = _touched(plan, stored)
        counted = (
            employed_counts_of(session.connection(), table.c.id.in_(touched))
            if touched
            else Counter()
        )
        insert_rows(session, table, plan.inserts)
        if plan.core_updates:
            session.execute(_update(_CORE, now), plan.core_updates)
        if plan.detail_updates:
            fields = (*_CORE, *_DETAILS, "verification_state", "verified_at", "verified_by_id")
            session.execute(_update(fields, now), plan.detail_updates)
        ids = _consent_ids(session, organization_id, plan.consents, stored, watermark)
        _record_consents(session, organization_id, actor_id, plan.consents, ids, states, now)
        _count_batch(session, organization_id, plan, touched, counted)
        created += len(plan.inserts)
        updated += plan.updated
        unchanged += plan.unchanged
        progress(min(len(rows), start + batch_size))  # the background task commits here
    return WriteCounts(created, updated, unchanged)


def _touched(plan: _Plan, stored: dict[str, dict[str, Any]]) -> list[int]:
    """Stored employees the batch changes: their rows or their consent."""
    ids = {u["b_id"] for u in (*plan.core_updates, *plan.detail_updates)}
    ids.update(stored[number]["id"] for number, _row in plan.consents if number in stored)
    return sorted(ids)


def _count_batch(
    session: Session,
    organization_id: int,
    plan: _Plan,
    touched: list[int],
    counted: Counter[Any],
) -> None:
    """Keep the counts by category (`models.counts`) in the batch's transaction: these Core
    writes pass the ORM's flush, where the counts are kept for every other writer.

    The stored rows the batch touched are read back (what they counted before the batch, in
    `counted`, is taken away). The new rows are counted from the plan itself, as they were
    just written (a new employee counts once consent is given in the file, with categories and
    no end date): reading back thousands of just-inserted rows and decrypting them again cost
    more than a third of a 10,000-row import (bench/imports.py).
    """
    connection = session.connection()
    now = employed_counts_of(connection, Employee.id.in_(touched)) if touched else Counter()
    if plan.inserts:
        est = cast(Table, Establishment.__table__).c
        regency_of = dict(
            connection.execute(
                select(est.id, est.regency_code).where(est.organization_id == organization_id)
            ).all()
        )
        sector = str(
            connection.scalar(select(Organization.sector).where(Organization.id == organization_id))
        )
        consenting = {number for number, _row in plan.consents}
        for row in plan.inserts:
            if row["end_date"] is None and row["employee_number"] in consenting:
                regency = regency_of[row["establishment_id"]]
                for category in row["disability_categories"] or ():
                    now[(regency, category, sector)] += 1
    add_difference(connection, EMPLOYED, difference(counted, now))


def _update(fields: tuple[str, ...], now: datetime) -> Any:
    table = cast(Table, Employee.__table__)
    return (
        table.update()
        .where(table.c.id == bindparam("b_id"))
        .values(
            {
                **{f: bindparam(f"b_{f}", type_=table.c[f].type) for f in fields},
                "updated_at": now,
            }
        )
    )


def _stored(
    session: Session, organization_id: int, rows: list[RosterRow]
) -> dict[str, dict[str, Any]]:
    """The organisation's employees in one query (per-batch IN lists cost more at 100,000 rows).

    Encrypted columns are read as tokens and decrypted, a column at a time, only for the
    employees whose row in the file carries disability details, since only those are compared
    value by value. The others keep their tokens: enough to tell a stored value from none,
    which is what clearing old details under a renewed consent needs.
    """
    with_details = {r.employee_number for r in rows if r.details is not None}
    table = cast(Table, Employee.__table__)
    encrypted = [table.c[f] for f in _ENCRYPTED]
    plain = [table.c[f] for f in (*_CORE, *_DETAILS, *_VERIFICATION) if f not in _ENCRYPTED]
    result = session.execute(
        select(
            table.c.id,
            table.c.employee_number,
            *plain,
            *(type_coerce(column, Text).label(column.name) for column in encrypted),
        ).where(table.c.organization_id == organization_id)
    )
    names = list(result.keys())
    found = {row[1]: dict(zip(names, row, strict=True)) for row in result.all()}
    compared = [found[number] for number in with_details if number in found]
    for column in encrypted:
        read_many = cast(EncryptedText | EncryptedList, column.type).result_many
        plain_values = read_many([values[column.name] for values in compared])
        for values, value in zip(compared, plain_values, strict=True):
            values[column.name] = value
    return found


def _details_values(details: DetailsIn) -> dict[str, Any]:
    return {
        "disability_categories": details.categories,
        "accommodation": details.accommodation,
        "evidence_type": details.evidence_type,
        "evidence_number": details.evidence_number,
        "evidence_date": details.evidence_date,
        "evidence_expires_on": details.evidence_expires_on,
    }


def _plan(
    batch: list[RosterRow],
    stored: dict[str, dict[str, Any]],
    states: dict[str, Any],
    organization_id: int,
    now: datetime,
) -> _Plan:
    plan = _Plan([], [], [], [])
    for row in batch:
        core = {
            "name": row.name,
            "establishment_id": row.establishment_id,
            "employment_type": row.employment_type,
            "start_date": row.start_date,
            "end_date": row.end_date,
        }
        state = states.get(row.employee_number)
        needs_consent = row.consent is not None and (state is None or not state.has_active)
        if needs_consent:
            plan.consents.append((row.employee_number, row))
        current = stored.get(row.employee_number)
        details = _details_values(row.details) if row.details else {}
        if current is None:
            plan.inserts.append(
                {
                    "organization_id": organization_id,
                    "employee_number": row.employee_number,
                    "verification_state": VerificationState.UNVERIFIED,
                    "created_at": now,
                    "updated_at": now,
                    **core,
                    **dict.fromkeys(_DETAILS),  # executemany needs the same keys on every row
                    **details,
                }
            )
            continue
        reviving = needs_consent and state is not None and state.last_withdrawn_at is not None
        if reviving and not details:
            # Details kept from before a withdrawal must not reappear under the new consent.
            details = dict.fromkeys(_DETAILS)
        core_changed = any(current[k] != v for k, v in core.items())
        changed_details = [k for k, v in details.items() if current.get(k) != v]
        if changed_details:
            verified = current.get("verification_state") is VerificationState.VERIFIED
            keep = verified and not (set(changed_details) & _EVIDENCE)
            plan.detail_updates.append(
                {
                    "b_id": current["id"],
                    "b_number": row.employee_number,
                    **{f"b_{k}": v for k, v in (core | details).items()},
                    "b_verification_state": current["verification_state"]
                    if keep
                    else VerificationState.UNVERIFIED,
                    "b_verified_at": current.get("verified_at") if keep else None,
                    "b_verified_by_id": current.get("verified_by_id") if keep else None,
                }
            )
        elif core_changed:
            plan.core_updates.append(
                {
                    "b_id": current["id"],
                    "b_number": row.employee_number,
                    **{f"b_{k}": v for k, v in core.items()},
                }
            )
        if changed_details or core_changed or needs_consent:
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


def _consent_ids(
    session: Session,
    organization_id: int,
    consents: list[tuple[str, RosterRow]],
    stored: dict[str, dict[str, Any]],
    watermark: int,
) -> dict[str, int]:
    """Employee ids of the batch's consents: stored ones known, new ones above `watermark`.

    The range also holds employees someone else added meanwhile; they are not in `consents`
    and so are never given a consent of this file.
    """
    ids = {number: stored[number]["id"] for number, _row in consents if number in stored}
    if len(ids) < len(consents):
        table = cast(Table, Employee.__table__)
        new = session.execute(
            select(table.c.employee_number, table.c.id).where(
                table.c.organization_id == organization_id, table.c.id > watermark
            )
        )
        ids.update((number, employee_id) for number, employee_id in new)
    return ids


def _record_consents(
    session: Session,
    organization_id: int,
    actor_id: int | None,
    consents: list[tuple[str, RosterRow]],
    ids: dict[str, int],
    states: dict[str, Any],
    now: datetime,
) -> None:
    if not consents:
        return
    numbers = [number for number, _row in consents]
    withdrawn_ids = [ids[n] for n in numbers if states.get(n) is not None]
    if withdrawn_ids:
        records = cast(Table, ConsentRecord.__table__)
        session.execute(
            records.update()
            .where(
                records.c.employee_id.in_(withdrawn_ids),
                records.c.withdrawn_at.is_not(None),
                records.c.purged_at.is_(None),
            )
            .values(purged_at=now)
        )
    insert_rows(
        session,
        cast(Table, ConsentRecord.__table__),
        [
            {
                "employee_id": ids[number],
                "organization_id": organization_id,
                "given_by": row.consent.given_by,
                "guardian_name": row.consent.guardian_name,
                "method": row.consent.method,
                "given_at": datetime.combine(row.consent.given_on, time()),
                "consent_text_version": row.consent.version,
                "recorded_by_id": actor_id,
                "created_at": now,
            }
            for number, row in consents
            if row.consent is not None
        ],
    )
