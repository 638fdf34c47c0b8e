"""The nightly rebuild of the inspectors' compliance ranking, one committed batch at a time.

A run interrupted half-way (a deployment, a killed scheduler) keeps the batches it committed,
and the next run goes on after the last of them (`SummaryWatermark` "rebuild") instead of
starting again from the first organisation; only a finished rebuild sums the area totals and
lets the next run start afresh.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from compliance.jobs.runner import RunCounts
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.inspections.rebuild import (
    finish_rebuild,
    next_batch,
    rebuild_batch,
    rebuild_progress,
)


def rebuild_compliance_summaries(session: Session, now: datetime, counts: RunCounts) -> None:
    """Every organisation's summary from scratch (a due date passing changes statuses);
    `changed` counts the organisations whose rows came out different."""
    with reach_scope(session, Reach.for_everything()):
        progress = rebuild_progress(session)
        session.commit()
        while ids := next_batch(session, progress.organization_id):
            counts.changed += rebuild_batch(session, ids, today=now.date())
            progress.organization_id = ids[-1]
            session.commit()
            counts.processed += len(ids)
        finish_rebuild(session)
        session.commit()
