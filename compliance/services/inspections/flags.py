"""Data-quality flags an inspector sees beside an organisation's figures (issue 6, item 2).

Each flag is a code, computed when the summary is refreshed, so the dashboard can filter and
count them without reading monthly rows. A flag is a prompt to look closer, never a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from compliance.models.declarations import Declaration
from compliance.quota import QuotaResult
from compliance.services.declarations import Computation, LedgerReason

HEADCOUNT_JUMP = "headcount_jump"
UNVERIFIED_EVIDENCE = "unverified_evidence"
EXPIRED_EVIDENCE = "expired_evidence"
LATE_DECLARATION = "late_declaration"
ALL_FLAGS = (HEADCOUNT_JUMP, UNVERIFIED_EVIDENCE, EXPIRED_EVIDENCE, LATE_DECLARATION)
#: "Changed by more than half" between two consecutive months with figures.
JUMP_RATIO = Decimal("0.5")


def _jumped(months: Sequence[QuotaResult]) -> bool:
    previous: Decimal | None = None
    for result in months:
        current = result.denominator
        known = previous is not None and current is not None and previous > 0
        if known and abs(current - previous) > previous * JUMP_RATIO:  # type: ignore[operator]
            return True
        previous = current if current is not None else previous
    return False


def quality_flags(
    computation: Computation | None,
    complete: Sequence[date],
    declarations: Sequence[tuple[Declaration, date]],
) -> list[str]:
    """The flag codes for one organisation.

    `complete` are the months with figures for every establishment; `declarations` pairs each
    submitted declaration with its period's due date.
    """
    found: list[str] = []
    if computation is not None:
        months = [m for m in computation.entity.months if m.as_of.replace(day=1) in complete]
        if _jumped(months):
            found.append(HEADCOUNT_JUMP)
        reasons = [p.reason_in(m) for p in computation.people for m in complete]
        if LedgerReason.COUNTED_UNVERIFIED in reasons:
            found.append(UNVERIFIED_EVIDENCE)
        if LedgerReason.EVIDENCE_EXPIRED in reasons:
            found.append(EXPIRED_EVIDENCE)
    late = any(
        d.submitted_at is not None and d.submitted_at.date() > due_on and d.number == 1
        for d, due_on in declarations
    )
    if late:
        found.append(LATE_DECLARATION)
    return found
