"""An inspector's file on one organisation: establishments, declarations, counts, history.

Counts and categories only: who the employees are is shown through `disclose_names`, which
requires a stated reason and records it in the audit trail (LAW.md, UU 27/2022: named data
needs a role, a reason and an audit record). Everything is read within the session's reach,
so an organisation with no establishment in the inspector's provinces is simply not found.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from compliance.models.accounts import Role, User
from compliance.models.declarations import Declaration, ReportingPeriod
from compliance.models.inspections import (
    ComplianceSummary,
    DeclarationReview,
    InspectionCase,
)
from compliance.models.organizations import Establishment, Organization
from compliance.models.referrals import Referral, ReferralRequest, ReferralStatus
from compliance.models.regions import Regency
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.audit_search import AuditFilters
from compliance.services.dates import month_start, previous_month
from compliance.services.declarations.computation import compute
from compliance.services.declarations.overlays import overlays_for
from compliance.services.declarations.people import PeriodInPeople, in_people
from compliance.services.declarations.roster_facts import RosterPerson, roster_people
from compliance.services.history import (
    INSPECTOR_AREAS,
    History,
    HistoryFilters,
    organization_history,
)
from compliance.services.inspections.summary import summary_of

#: The newest lines of history the drill-down shows; the history page has them all.
HISTORY_PREVIEW = 10
MAX_REASON = 500
INSPECTION_ROLES = (Role.INSPECTOR, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class RosterCounts:
    """Who counts this month, by category and evidence state: numbers, no names."""

    month: date
    counted: int
    unverified: int
    not_counted: int
    by_category: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ReferralActivity:
    """What the organisation asked of the ULDs and what came of it, as counts only."""

    requests: int
    positions: int
    proposed: int
    introduced: int
    hired: int
    not_hired: int


@dataclass(frozen=True, slots=True)
class OrganizationFile:
    organization: Organization
    establishments: tuple[Establishment, ...]
    periods: tuple[ReportingPeriod, ...]
    latest: Declaration | None
    summary: ComplianceSummary | None
    roster: RosterCounts
    reviews: tuple[DeclarationReview, ...]
    cases: tuple[InspectionCase, ...]
    #: The newest events an inspector reads (`services.history.INSPECTOR_AREAS`), as sentences.
    history: History
    referrals: ReferralActivity
    #: Regional rules where its establishments lie, as (stored or live data, in people), and
    #: what they are the result of: a declared period's label, or the month computed now.
    regional: tuple[tuple[dict[str, Any], PeriodInPeople | None], ...] = ()
    regional_declared: str | None = None
    regional_month: date | None = None


def check_inspector(actor: User) -> None:
    if actor.role not in INSPECTION_ROLES:
        raise PermissionDenied(_("Only labour inspectors review organisations."))


def get_organization_in_reach(session: Session, organization_id: int) -> Organization:
    organization = session.scalar(select(Organization).where(Organization.id == organization_id))
    if organization is None:
        raise NotFound(_("Organisation not found."))
    return organization


def roster_counts(people: list[RosterPerson], month: date) -> RosterCounts:
    reasons = [(p, p.reason_in(month)) for p in people]
    counted = [p for p, reason in reasons if reason.counts]
    categories: Counter[str] = Counter()
    for person in counted:
        assert person.details is not None
        categories.update(c.value for c in person.details.categories)
    return RosterCounts(
        month=month,
        counted=len(counted),
        unverified=sum(1 for _p, reason in reasons if reason.value == "counted_unverified"),
        not_counted=len(reasons) - len(counted),
        by_category=tuple(sorted(categories.items())),
    )


def organization_file(
    session: Session, actor: User, organization_id: int, *, today: date | None = None
) -> OrganizationFile:
    check_inspector(actor)
    organization = get_organization_in_reach(session, organization_id)
    today = today or organization.today()
    periods = session.scalars(
        select(ReportingPeriod)
        .where(ReportingPeriod.organization_id == organization_id)
        .options(selectinload(ReportingPeriod.declarations))
        .order_by(ReportingPeriod.starts_on.desc())
    ).all()
    submitted = [d for p in periods for d in p.declarations if d.is_submitted]
    latest = max(submitted, key=lambda d: (d.period.starts_on, d.number), default=None)
    history = organization_history(
        session,
        organization_id,
        HistoryFilters(),
        audit=AuditFilters(),
        areas=INSPECTOR_AREAS,
        size=HISTORY_PREVIEW,
    )
    return OrganizationFile(
        organization=organization,
        establishments=tuple(organization.establishments),
        periods=tuple(periods),
        latest=latest,
        summary=summary_of(session, organization_id),
        roster=roster_counts(roster_people(session, organization_id), month_start(today)),
        reviews=tuple(
            session.scalars(
                select(DeclarationReview)
                .where(DeclarationReview.organization_id == organization_id)
                .order_by(DeclarationReview.id.desc())
            )
        ),
        cases=tuple(
            session.scalars(
                select(InspectionCase)
                .where(InspectionCase.organization_id == organization_id)
                .order_by(InspectionCase.id.desc())
            )
        ),
        history=history,
        referrals=referral_activity(session, organization_id),
        **_regional(session, organization, latest, today),
    )


def _regional(
    session: Session, organization: Organization, latest: Declaration | None, today: date
) -> dict[str, Any]:
    """The regional rules (issue 15, item 6): as the latest submitted declaration filed them,
    or, where it has none, over the last month that has ended, from the current figures."""
    if latest is not None and latest.data.get("overlays"):
        stored = latest.data["overlays"]
        return {
            "regional": tuple((o, in_people(o)) for o in stored),
            "regional_declared": latest.period.label,
        }
    month = previous_month(today)
    if not any(overlays_for(e.regency_code, month) for e in organization.establishments):
        return {}
    # Counts only leave here; the organisation is in the inspector's reach (checked above),
    # its establishments in another province too (like `referral_activity`).
    with reach_scope(session, Reach.for_everything()):
        try:
            computation = compute(
                session, organization, [month], label=f"{month:%Y-%m}", today=today
            )
        except ServiceError:
            return {}
    return {
        "regional": tuple((o.to_data(), o.people) for o in computation.overlays),
        "regional_month": month,
    }


def referral_activity(session: Session, organization_id: int) -> ReferralActivity:
    """Counts of the organisation's referral requests and referrals by stage.

    Referrals are scoped to the company and its ULD, not to inspectors, so this reads them
    under an everything-reach; callers have checked the organisation is in the inspector's
    reach, and only counts leave this function: no candidate is identified.
    """
    with reach_scope(session, Reach.for_everything()):
        requests, positions = session.execute(
            select(func.count(), func.coalesce(func.sum(ReferralRequest.positions), 0)).where(
                ReferralRequest.organization_id == organization_id
            )
        ).one()
        stages = dict(
            session.execute(
                select(Referral.status, func.count())
                .where(Referral.organization_id == organization_id)
                .group_by(Referral.status)
            ).all()
        )
    reached_introduction = (
        ReferralStatus.INTRODUCED,
        ReferralStatus.INTERVIEWED,
        ReferralStatus.HIRED,
        ReferralStatus.NOT_HIRED,
    )
    return ReferralActivity(
        requests=requests,
        positions=positions,
        proposed=sum(stages.values()),
        introduced=sum(stages.get(s, 0) for s in reached_introduction),
        hired=stages.get(ReferralStatus.HIRED, 0),
        not_hired=stages.get(ReferralStatus.NOT_HIRED, 0),
    )


def checked_reason(reason: str | None) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ServiceError(_("State why you need the names."), field="reason")
    if len(cleaned) > MAX_REASON:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_REASON), field="reason")
    return cleaned


def named_establishments(session: Session, actor: User, organization_id: int) -> set[int] | None:
    """The establishments whose people `actor` may see by name; None: all of them.

    An organisation is in an inspector's reach through any establishment in their provinces,
    but who works elsewhere is not theirs to know: people data follow the establishment's
    province (least privilege, UU 27/2022 Pasal 16). Counts stay the organisation's."""
    reach = actor.reach()
    if reach.everything:
        return None
    return set(
        session.scalars(
            select(Establishment.id)
            .join(Regency, Regency.code == Establishment.regency_code)
            .where(
                Establishment.organization_id == organization_id,
                Regency.province_code.in_(sorted(reach.province_codes)),
            )
        )
    )


def disclose_names(
    session: Session, actor: User, organization_id: int, reason: str | None
) -> list[RosterPerson]:
    """The roster with names, for an inspector who stated why; the reason goes on record.
    Only the people of establishments in the inspector's provinces (`named_establishments`)."""
    check_inspector(actor)
    organization = get_organization_in_reach(session, organization_id)
    cleaned = checked_reason(reason)
    visible = named_establishments(session, actor, organization.id)
    people = [
        p
        for p in roster_people(session, organization.id)
        if visible is None or p.establishment_id in visible
    ]
    record_event(
        session,
        actor,
        "inspection.names_shown",
        organization,
        organization_id=organization.id,
        data={"reason": cleaned, "people": len(people)},
    )
    return people
