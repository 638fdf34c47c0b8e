"""The registry officer's home: requests to answer, deadlines near, candidates to follow up.

The requests waiting for a shortlist carry the service-level deadline the ULD's request list
shows (`registry.requests.overview`); a request is *due soon* within `DUE_SOON_DAYS` of it (or
past it), and *new* while nobody has been proposed for it yet. A referral needs following up
when nothing has happened for `FOLLOW_UP_DAYS`: a candidate on a sent shortlist who has not
yet agreed to be introduced, or one introduced or interviewed without an outcome recorded.
Everything is read under the session's reach: what was routed to the officer's ULD.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.organizations import Sector
from compliance.models.referrals import Referral, ReferralRequest, ReferralStatus, RequestStatus
from compliance.services.organizations import organizations_in_reach
from compliance.services.registry.requests import RequestOverview, overview
from compliance.services.registry.ulds import officer_uld

DUE_SOON_DAYS = 3
FOLLOW_UP_DAYS = 14


@dataclass(frozen=True, slots=True)
class FollowUp:
    referral_id: int
    request_id: int
    request_title: str
    #: None once the candidate left the registry (withdrawn consent, purged).
    candidate_id: int | None
    candidate_name: str | None
    status: ReferralStatus
    #: Since when nothing has happened: shortlist sent, introduction or interview.
    since: datetime


@dataclass(frozen=True, slots=True)
class OrganizationLine:
    id: int
    name: str
    nib: str
    sector: Sector


@dataclass(frozen=True, slots=True)
class UldHome:
    uld_name: str | None
    new_requests: tuple[RequestOverview, ...]
    due_soon: tuple[RequestOverview, ...]
    follow_ups: tuple[FollowUp, ...]
    organizations: tuple[OrganizationLine, ...]

    @property
    def has_actions(self) -> bool:
        return bool(self.new_requests or self.due_soon or self.follow_ups)


def waiting_requests(session: Session) -> list[RequestOverview]:
    """Open requests in reach without a shortlist, the nearest deadline first."""
    found = session.scalars(
        select(ReferralRequest)
        .where(
            ReferralRequest.status == RequestStatus.OPEN,
            ReferralRequest.shortlisted_at.is_(None),
        )
        .options(selectinload(ReferralRequest.referrals))
        .order_by(ReferralRequest.created_at, ReferralRequest.id)
    ).all()
    return sorted(overview(session, found), key=lambda o: (o.days_left, o.request.id))


def follow_ups(session: Session, *, at: datetime | None = None) -> list[FollowUp]:
    """Referrals in reach where nothing happened for `FOLLOW_UP_DAYS` (module docstring)."""
    cutoff = (at or utcnow()) - timedelta(days=FOLLOW_UP_DAYS)
    referrals = session.scalars(
        select(Referral)
        .where(
            or_(
                and_(Referral.status == ReferralStatus.PROPOSED, Referral.shared_at <= cutoff),
                and_(
                    Referral.status == ReferralStatus.INTRODUCED,
                    Referral.introduced_at <= cutoff,
                ),
                and_(
                    Referral.status == ReferralStatus.INTERVIEWED,
                    Referral.interviewed_at <= cutoff,
                ),
            )
        )
        .options(joinedload(Referral.request), joinedload(Referral.candidate))
        .order_by(Referral.id)
    )
    found = []
    for referral in referrals:
        since = {
            ReferralStatus.PROPOSED: referral.shared_at,
            ReferralStatus.INTRODUCED: referral.introduced_at,
            ReferralStatus.INTERVIEWED: referral.interviewed_at,
        }[referral.status]
        assert since is not None  # the query asked for it
        candidate = referral.candidate
        found.append(
            FollowUp(
                referral.id,
                referral.request_id,
                referral.request.title,
                candidate.id if candidate else None,
                candidate.name if candidate else None,
                referral.status,
                since,
            )
        )
    return sorted(found, key=lambda f: (f.since, f.referral_id))


def uld_home(session: Session, actor: User) -> UldHome:
    uld = officer_uld(session, actor)
    waiting = waiting_requests(session)
    due_soon = tuple(o for o in waiting if o.days_left <= DUE_SOON_DAYS)
    new = tuple(o for o in waiting if o.days_left > DUE_SOON_DAYS and not o.request.referrals)
    return UldHome(
        uld_name=uld.name if uld else None,
        new_requests=new,
        due_soon=due_soon,
        follow_ups=tuple(follow_ups(session)),
        organizations=tuple(
            OrganizationLine(o.id, o.name, o.nib, o.sector) for o in organizations_in_reach(session)
        ),
    )
