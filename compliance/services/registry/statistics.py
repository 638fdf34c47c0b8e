"""The region's picture for ULD officers and admins: service levels, outcomes, employment.

Everything is counted within the actor's reach (an officer's ULD and regencies, or all for an
admin). Categories are encrypted, so the counts by category of candidates and of employed
workers come from the counts kept, encrypted, per regency (`services.registry.counts`;
`models.counts` says why): the national page sums about a thousand of them instead of
decrypting every candidate and employee. Counts of employed workers
below `SUPPRESS_BELOW` are suppressed (None) after summing over the reach, so a small cell
cannot point at a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User
from compliance.models.organizations import Sector
from compliance.models.referrals import (
    NotHiredReason,
    Referral,
    ReferralRequest,
    ReferralStatus,
    RequestStatus,
)
from compliance.models.registry import Availability
from compliance.services import PermissionDenied
from compliance.services.registry.counts import candidates_by_category, employed_by_category

SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class Duration:
    """Days between two steps, over `count` cases (None when there are none)."""

    count: int
    median_days: float | None
    mean_days: float | None


@dataclass(frozen=True)
class Picture:
    request_to_shortlist: Duration
    introduction_to_outcome: Duration
    unanswered: int
    open_positions: int
    outcomes_by_category: dict[tuple[str, ReferralStatus], int]
    not_hired_reasons: dict[NotHiredReason, int]
    employed_by_category_sector: dict[tuple[str, Sector], int | None]
    candidates_by_category_readiness: dict[tuple[str, Availability], int]


def _duration(pairs: list[tuple[datetime, datetime | None]]) -> Duration:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if end is not None]
    if not days:
        return Duration(0, None, None)
    return Duration(len(days), round(median(days), 1), round(sum(days) / len(days), 1))


def suppress(counts: Counter[tuple[str, Sector]]) -> dict[tuple[str, Sector], int | None]:
    return {key: (n if n >= SUPPRESS_BELOW else None) for key, n in sorted(counts.items())}


def region_picture(session: Session, actor: User) -> Picture:
    if actor.role not in {Role.REGISTRY_OFFICER, Role.ADMIN}:
        raise PermissionDenied("registry statistics are for officers and admins")
    requests = session.scalars(select(ReferralRequest)).all()
    referrals = session.scalars(select(Referral)).all()
    hired = Counter(r.request_id for r in referrals if r.status is ReferralStatus.HIRED)
    outcomes: Counter[tuple[str, ReferralStatus]] = Counter()
    reasons: Counter[NotHiredReason] = Counter()
    for referral in referrals:
        if referral.status in {ReferralStatus.HIRED, ReferralStatus.NOT_HIRED}:
            for category in referral.outcome_categories or ():
                outcomes[(category, referral.status)] += 1
        if referral.not_hired_reason is not None:
            reasons[referral.not_hired_reason] += 1
    readiness = candidates_by_category(session, actor)
    return Picture(
        request_to_shortlist=_duration([(r.created_at, r.shortlisted_at) for r in requests]),
        introduction_to_outcome=_duration(
            [(r.introduced_at, r.outcome_at) for r in referrals if r.introduced_at is not None]
        ),
        unanswered=sum(
            1 for r in requests if r.flagged_unanswered_at is not None and r.shortlisted_at is None
        ),
        open_positions=sum(
            max(0, r.positions - hired[r.id]) for r in requests if r.status is RequestStatus.OPEN
        ),
        outcomes_by_category=dict(sorted(outcomes.items())),
        not_hired_reasons=dict(reasons.most_common()),
        employed_by_category_sector=suppress(employed_by_category(session, actor)),
        candidates_by_category_readiness=dict(sorted(readiness.items())),
    )
