"""The admin's operations page: scheduled job runs, subscriptions and received Stripe events.

It lives in the billing blueprint because both halves are the SaaS's own operations; the
URL sits under /admin with the other administration pages.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.access import roles
from compliance.blueprints.billing import bp
from compliance.extensions import db
from compliance.jobs.schedule import JOBS
from compliance.models.accounts import Role
from compliance.models.billing import BillingAccount, StripeEvent
from compliance.models.jobs import JobRun
from compliance.services.billing.plans import PLANS

RECENT = 100


@bp.get("/admin/jobs")
@roles(Role.ADMIN)
def list_job_runs() -> ResponseReturnValue:
    session = db.session()
    runs = session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(RECENT)).all()
    last_runs = {job.name: next((r for r in runs if r.job == job.name), None) for job in JOBS}
    accounts = session.scalars(
        select(BillingAccount)
        .options(selectinload(BillingAccount.organization))
        .order_by(BillingAccount.updated_at.desc())
        .limit(RECENT)
    ).all()
    events = session.scalars(
        select(StripeEvent).order_by(StripeEvent.received_at.desc()).limit(RECENT)
    ).all()
    return render_template(
        "admin/jobs.html",
        jobs=JOBS,
        last_runs=last_runs,
        runs=runs,
        accounts=accounts,
        events=events,
        plan_names={plan.key: plan.label for plan in PLANS},
    )
