"""Every scheduled job, one entry each: its name, when it runs, and the function it calls.

Adding a job is adding one `Job(...)` line. Functions take `(session, now, counts)`; the
ones that go organisation by organisation use `runner.each_organization`. A whole-platform
service `fn(session, now) -> int` (how many things it changed) is wrapped with `platform_job`.
Times are UTC cron fields (01:00 UTC is 08:00 in Jakarta).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from compliance.integrations.queue import enqueue
from compliance.jobs.mail import forget_delivered_mail, retry_mail
from compliance.jobs.privacy import enforce_consent_withdrawals, purge_after_retention
from compliance.jobs.reminders import remind_deadlines, remind_expiring_evidence
from compliance.jobs.runner import JobFunction, RunCounts, fans_out
from compliance.jobs.snapshots import freeze_monthly_snapshots
from compliance.jobs.summaries import rebuild_compliance_summaries
from compliance.jobs.webhooks import forget_old_deliveries, retry_webhooks
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import settings
from compliance.services.audit_checkpoints import checkpoint_audit_trail
from compliance.services.exports import delete_expired_exports
from compliance.services.idempotency import forget_old_answers
from compliance.services.imports.housekeeping import (
    expire_unconfirmed_imports,
    fail_stalled_imports,
)
from compliance.services.inspections.cases import flag_case_deadlines
from compliance.services.registry.consent import purge_withdrawn_candidates
from compliance.services.registry.counts import rebuild_counts
from compliance.services.registry.external import sync_external_registry
from compliance.services.registry.requests import flag_unanswered_requests


@dataclass(frozen=True)
class Job:
    name: str
    function: JobFunction
    #: APScheduler trigger name and its arguments, e.g. ("cron", {"hour": 1}).
    trigger: str
    schedule: dict[str, Any] = field(default_factory=dict)
    #: For the admin's jobs page, in the reader's language.
    description: str | LazyString = ""

    def when(self) -> str:
        """The schedule in words: "every 5 minutes", "every day at 01:15 UTC (08:15 WIB)"."""
        # "every hour", not "every 1 hour": Indonesian has one plural form, so the single
        # unit is its own sentence rather than a plural case.
        if self.trigger == "interval" and set(self.schedule) == {"minutes"}:
            n = self.schedule["minutes"]
            return (
                _("every minute")
                if n == 1
                else ngettext("every %(num)d minute", "every %(num)d minutes", n)
            )
        if self.trigger == "interval" and set(self.schedule) == {"hours"}:
            n = self.schedule["hours"]
            return (
                _("every hour")
                if n == 1
                else ngettext("every %(num)d hour", "every %(num)d hours", n)
            )
        if self.trigger == "cron" and set(self.schedule) == {"hour", "minute"}:
            hour, minute = self.schedule["hour"], self.schedule["minute"]
            wib = (hour + 7) % 24
            return _(
                "every day at %(utc)s UTC (%(wib)s WIB)",
                utc=f"{hour:02d}:{minute:02d}",
                wib=f"{wib:02d}:{minute:02d}",
            )
        return ", ".join(f"{k}={v}" for k, v in self.schedule.items())


def platform_job(service: Callable[[Session, datetime], int]) -> JobFunction:
    """Adapt a service that works across all organisations and commits nothing itself."""

    def run(session: Session, now: datetime, counts: RunCounts) -> None:
        with reach_scope(session, Reach.for_everything()):
            changed = service(session, now)
            session.commit()
        counts.processed += 1
        counts.changed += changed

    return run


def sync_external_candidates(session: Session, now: datetime) -> int:
    """The external registry sync, when `REGISTRY_EXTERNAL_URL` is set; how many changed.

    With workers, the scheduler only queues it (task `registry_sync`): a slow or large feed
    (up to 200 MB) is read on a worker, and the scheduler stays on time for the other jobs."""
    if not settings().registry_external_url:
        return 0
    if fans_out():
        enqueue(session, "registry_sync")
        return 0
    report = sync_external_registry(session)
    return report.created + report.updated + report.withdrawn


JOBS: tuple[Job, ...] = (
    Job(
        "deadline_reminders",
        remind_deadlines,
        "cron",
        {"hour": 1, "minute": 0},
        _l("Declaration due in 30 and 7 days, then overdue: e-mail the HR managers once each."),
    ),
    Job(
        "monthly_snapshot",
        freeze_monthly_snapshots,
        "cron",
        {"hour": 2, "minute": 0},
        _l("Freeze last month's quota result of each organisation once its figures are complete."),
    ),
    Job(
        "consent_withdrawals",
        enforce_consent_withdrawals,
        "interval",
        {"hours": 1},
        _l("Delete disability details whose consent was withdrawn (within 72 hours, UU 27/2022)."),
    ),
    Job(
        "roster_retention",
        purge_after_retention,
        "cron",
        {"hour": 3, "minute": 0},
        _l("Delete disability details of people who left more than five years ago (UU 27/2022)."),
    ),
    Job(
        "evidence_expiry",
        remind_expiring_evidence,
        "cron",
        {"hour": 1, "minute": 30},
        _l("Ask HR managers to renew disability evidence that expires soon."),
    ),
    Job(
        "case_deadlines",
        platform_job(flag_case_deadlines),
        "cron",
        {"hour": 1, "minute": 15},
        _l("Remind before an inspection nota's deadline and flag it when it passes."),
    ),
    Job(
        "compliance_summaries",
        rebuild_compliance_summaries,
        "cron",
        {"hour": 0, "minute": 30},
        _l("Rebuild the inspectors' compliance ranking for every organisation."),
    ),
    Job(
        "stalled_imports",
        platform_job(fail_stalled_imports),
        "interval",
        {"minutes": 5},
        _l(
            "End imports whose worker died (no progress for 15 minutes); "
            "re-importing completes them."
        ),
    ),
    Job(
        "expired_uploads",
        platform_job(expire_unconfirmed_imports),
        "interval",
        {"hours": 1},
        _l("Delete uploads nobody confirmed within a day, and discard their imports."),
    ),
    Job(
        "expired_exports",
        platform_job(delete_expired_exports),
        "interval",
        {"hours": 1},
        _l("Delete prepared exports (evidence packs, summaries) a day after they were asked for."),
    ),
    Job(
        "api_idempotent_answers",
        platform_job(forget_old_answers),
        "interval",
        {"hours": 1},
        _l("Forget the API's stored first answers (Idempotency-Key) a day after they were given."),
    ),
    Job(
        "unanswered_referrals",
        platform_job(flag_unanswered_requests),
        "cron",
        {"hour": 4, "minute": 0},
        _l("Flag referral requests without a shortlist after the configured number of days."),
    ),
    Job(
        "candidate_purge",
        platform_job(purge_withdrawn_candidates),
        "interval",
        {"hours": 1},
        _l("Delete candidates whose consent was withdrawn (UU 27/2022), audited."),
    ),
    Job(
        "category_counts",
        platform_job(rebuild_counts),
        "cron",
        {"hour": 2, "minute": 30},
        _l("Recount candidates and employed workers by category of disability for the statistics."),
    ),
    Job(
        "external_registry_sync",
        platform_job(sync_external_candidates),
        "cron",
        {"hour": 5, "minute": 0},
        _l("Pull candidates and their consent flags from the external registry, when configured."),
    ),
    Job(
        "mail_retries",
        retry_mail,
        "interval",
        {"minutes": 1},
        _l("Send again the e-mails a mail server refused, waiting longer after each refusal."),
    ),
    Job(
        "mail_retention",
        platform_job(forget_delivered_mail),
        "cron",
        {"hour": 3, "minute": 30},
        _l("Delete sent e-mails after a week and undeliverable ones after 30 days."),
    ),
    Job(
        "webhook_retries",
        retry_webhooks,
        "interval",
        {"minutes": 1},
        _l("Send webhook events again whose receiver refused, in order, waiting longer each time."),
    ),
    Job(
        "webhook_retention",
        platform_job(forget_old_deliveries),
        "cron",
        {"hour": 3, "minute": 45},
        _l("Delete webhook deliveries (sent or given up) after 30 days."),
    ),
    Job(
        "audit_checkpoint",
        platform_job(checkpoint_audit_trail),
        "interval",
        {"hours": 1},
        _l(
            "Sign the audit trail's head, so events deleted before it show in `flask audit verify`."
        ),
    ),
)


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)
