"""The monthly snapshot: freeze each organisation's quota result for the month just ended.

The quota history then shows what was known when the month closed, even if figures are
corrected later (those corrections show in new declarations, never in the frozen month). A
month with missing figures is not frozen yet: the job runs daily and freezes it once the
figures are complete. A frozen month is never recomputed, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.clock import local_date
from compliance.jobs.runner import RunCounts, each_organization
from compliance.models.jobs import MonthlySnapshot
from compliance.models.organizations import Organization
from compliance.services.dates import previous_month
from compliance.services.declarations.computation import compute


def freeze_monthly_snapshots(session: Session, now: datetime, counts: RunCounts) -> None:
    def work(session: Session, organization: Organization) -> int:
        # The month just ended at the organisation's head office.
        today = local_date(now, organization.zone)
        month = previous_month(today)
        frozen = session.scalar(
            select(MonthlySnapshot.id).where(
                MonthlySnapshot.organization_id == organization.id,
                MonthlySnapshot.month == month,
            )
        )
        if frozen is not None:
            return 0
        computation = compute(session, organization, [month], label=f"{month:%Y-%m}", today=today)
        if computation.missing():
            return 0
        result = computation.entity.months[0]
        session.add(
            MonthlySnapshot(
                organization_id=organization.id,
                month=month,
                status=result.status.value,
                denominator=None if result.denominator is None else int(result.denominator),
                required=result.required,
                counted=result.counted,
                gap=result.gap,
                pack_id=result.pack_id,
                input_sha256=computation.input_sha256,
                data={
                    "format": 1,
                    "establishments": [
                        {"id": e.establishment_id, "status": r.status.value}
                        for e, r in computation.establishments
                    ],
                },
                frozen_at=now,
            )
        )
        session.flush()
        return 1

    each_organization(session, counts, work)
