"""What a plan unlocks: the one place that decides it.

Public bodies and organisations under 100 workers use everything free. Larger private
organisations pay by headcount band; the headcount is the workforce the quota counts (its N:
the rule pack decides which employment types count, so outsourced workers and interns are left
out just as on the gap page). Without a paid subscription (or after the grace period of a
failed payment) they keep the basic service. Filing a declaration, seeing the gap and
requesting referrals serve a legal duty, so they are never a `Feature` here and never gated.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.billing import BillingAccount, SubscriptionStatus
from compliance.models.organizations import Establishment, Organization
from compliance.models.workforce import WorkforceFigure
from compliance.quota import Sector as QuotaSector
from compliance.quota import Snapshot, evaluate
from compliance.services import ServiceError, settings
from compliance.services.dates import month_end

#: Organisations with fewer workers than this use the product free.
FREE_BELOW_WORKERS = 100
#: What the basic service of a large private organisation without a subscription includes.
BASIC_ESTABLISHMENTS = 3
BASIC_IMPORT_ROWS = 5000
#: Webhook endpoints of the basic service: one system kept informed; more with a plan.
BASIC_WEBHOOK_ENDPOINTS = 1
INTERVALS = ("month", "year")


class Feature(enum.StrEnum):
    """Paid features. Never add filing, the gap or referrals: they serve a legal duty."""

    MANY_ESTABLISHMENTS = "many_establishments"  # more than BASIC_ESTABLISHMENTS open
    LARGE_IMPORTS = "large_imports"  # imports of more than BASIC_IMPORT_ROWS rows
    MANY_WEBHOOKS = "many_webhooks"  # more than BASIC_WEBHOOK_ENDPOINTS webhook endpoints


@dataclass(frozen=True)
class Plan:
    key: str
    #: A lazy string: translated when shown, in the reader's language.
    label: Any
    min_workers: int
    max_workers: int | None
    #: Prices shown on the page, in rupiah; Stripe's price objects are what is charged.
    month_idr: int
    year_idr: int

    @property
    def name(self) -> str:
        return str(self.label)


PLANS: tuple[Plan, ...] = (
    Plan("medium", _l("Medium"), 100, 499, 750_000, 7_500_000),
    Plan("large", _l("Large"), 500, 1999, 2_000_000, 20_000_000),
    Plan("enterprise", _l("Enterprise"), 2000, None, 5_000_000, 50_000_000),
)
ACTIVE_STATUSES = frozenset({SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING})
UNPAID_STATUSES = frozenset({SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID})


def plan_named(key: str) -> Plan:
    for plan in PLANS:
        if plan.key == key:
            return plan
    raise ServiceError(_("Unknown plan."), field="plan")


def plan_for_headcount(headcount: int | None) -> Plan | None:
    """The paid band for `headcount` workers, or None when the organisation is free."""
    if headcount is None or headcount < FREE_BELOW_WORKERS:
        return None
    return next(
        p for p in PLANS if p.max_workers is None or p.min_workers <= headcount <= p.max_workers
    )


@dataclass(frozen=True)
class Workforce:
    """The workers a plan is sized by, and the month they were counted in."""

    month: date
    workers: int


def workforce(session: Session, organization: Organization) -> Workforce | None:
    """The quota's workforce (N) in the latest month with figures; None before any figures.

    The engine counts it, as it does for the gap page, so billing and the quota never disagree
    on how many workers an organisation has. A type not yet recorded that month counts as none:
    the plan is sized by what has been entered."""
    scope = WorkforceFigure.organization_id == organization.id
    latest = session.scalar(select(func.max(WorkforceFigure.month)).where(scope))
    if latest is None:
        return None
    totals = session.execute(
        select(WorkforceFigure.employment_type, func.sum(WorkforceFigure.headcount))
        .where(scope, WorkforceFigure.month == latest)
        .group_by(WorkforceFigure.employment_type)
    )
    snapshot = Snapshot(
        as_of=month_end(latest),
        sector=QuotaSector(organization.sector.value),
        headcount={kind: int(total or 0) for kind, total in totals},
    )
    result = evaluate(snapshot, today=snapshot.as_of)
    return Workforce(month=latest, workers=int(result.denominator or 0))


def headcount(session: Session, organization: Organization) -> int | None:
    """The workers the plan is sized by (None before any figures are entered)."""
    found = workforce(session, organization)
    return found.workers if found else None


def is_free(session: Session, organization: Organization) -> bool:
    """Public bodies and small organisations: everything, no subscription."""
    if organization.sector.is_public:
        return True
    return plan_for_headcount(headcount(session, organization)) is None


def billing_account(session: Session, organization_id: int) -> BillingAccount | None:
    return session.scalar(
        select(BillingAccount).where(BillingAccount.organization_id == organization_id)
    )


def grace_ends_at(account: BillingAccount) -> datetime | None:
    """When paid features close after a failed payment (None when no payment failed)."""
    if account.status not in UNPAID_STATUSES or account.payment_failed_at is None:
        return None
    return account.payment_failed_at + timedelta(days=settings().billing_grace_days)


def has_paid_access(account: BillingAccount | None, now: datetime | None = None) -> bool:
    if account is None:
        return False
    if account.status in ACTIVE_STATUSES:
        return True
    ends = grace_ends_at(account)
    return ends is not None and (now or utcnow()) < ends


def allows(
    session: Session, organization: Organization, feature: Feature, now: datetime | None = None
) -> bool:
    """Whether `organization` may use `feature` now."""
    if is_free(session, organization):
        return True
    return has_paid_access(billing_account(session, organization.id), now)


def current_plan_name(session: Session, organization: Organization) -> str:
    if is_free(session, organization):
        return _("Free")
    account = billing_account(session, organization.id)
    if account is not None and account.plan and has_paid_access(account):
        return plan_named(account.plan).name
    return _("Basic")


def _upgrade_message(session: Session, organization: Organization) -> str:
    needed = plan_for_headcount(headcount(session, organization))
    return _(
        "Subscribe to the %(needed)s plan on the Billing page for more.",
        needed=needed.name if needed else "",
    )


def check_import_limit(session: Session, organization_id: int, rows: int) -> None:
    """Refuse an import of more rows than the basic service takes (for the import service)."""
    organization = session.get(Organization, organization_id)
    assert organization is not None
    if rows <= BASIC_IMPORT_ROWS or allows(session, organization, Feature.LARGE_IMPORTS):
        return
    raise ServiceError(
        _(
            "The %(plan)s plan imports files of up to %(limit)s rows; this one has %(rows)s.",
            plan=current_plan_name(session, organization),
            limit=format_number(BASIC_IMPORT_ROWS),
            rows=format_number(rows),
        )
        + " "
        + _upgrade_message(session, organization),
        field="file",
    )


def check_establishment_limit(session: Session, organization_id: int) -> None:
    """Refuse one more open establishment beyond the basic service's limit."""
    organization = session.get(Organization, organization_id)
    assert organization is not None
    open_count = session.scalar(
        select(func.count(Establishment.id)).where(
            Establishment.organization_id == organization.id, Establishment.closed_at.is_(None)
        )
    )
    if (open_count or 0) < BASIC_ESTABLISHMENTS:
        return
    if allows(session, organization, Feature.MANY_ESTABLISHMENTS):
        return
    raise ServiceError(
        _(
            "The %(plan)s plan includes up to %(limit)d open establishments.",
            plan=current_plan_name(session, organization),
            limit=BASIC_ESTABLISHMENTS,
        )
        + " "
        + _upgrade_message(session, organization)
    )


def check_webhook_limit(session: Session, organization_id: int, endpoints: int) -> None:
    """Refuse an organisation's `endpoints`-th webhook endpoint beyond the basic service's.

    Webhooks save polling the API; filing and reading the gap, by page or API, stay free."""
    organization = session.get(Organization, organization_id)
    assert organization is not None
    if endpoints <= BASIC_WEBHOOK_ENDPOINTS or allows(session, organization, Feature.MANY_WEBHOOKS):
        return
    raise ServiceError(
        _(
            "The %(plan)s plan sends webhooks to %(limit)s endpoint.",
            plan=current_plan_name(session, organization),
            limit=format_number(BASIC_WEBHOOK_ENDPOINTS),
        )
        + " "
        + _upgrade_message(session, organization),
        field="url",
    )
