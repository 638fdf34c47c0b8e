"""Every background task, by name: what `integrations.queue` runs in-process or on workers.

A task takes ids only and starts from what the database says, so it can run on any machine,
and running it twice does no harm: a delivered message is not sent again, an import that is no
longer `importing` is left alone, and one interrupted half-way writes each row once when it
runs again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from compliance.extensions import db
from compliance.integrations.queue import RetryLater, Task
from compliance.jobs.imports import import_in_background, validate_in_background
from compliance.jobs.runner import run_batch
from compliance.jobs.webhooks import work_lane
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import exports, outbox
from compliance.services.registry.external import sync_external_registry
from compliance.services.registry.import_tasks import run_candidate_import

log = logging.getLogger(__name__)


def deliver_mail(mail_id: int) -> None:
    outcome = outbox.deliver(db.session(), mail_id)
    db.session.commit()  # the attempt is recorded whatever happened
    if outcome is outbox.Delivery.RETRY:
        raise RetryLater(f"mail {mail_id}")


def deliver_webhook(endpoint_id: int) -> None:
    """An endpoint's pending webhook events, in order (`jobs.webhooks.work_lane`); it commits
    after each attempt, and retries are the `webhook_retries` job's, not the queue's."""
    work_lane(db.session(), endpoint_id)


def organization_batch(job: str, organization_ids: list[int], at: str) -> None:
    """One batch of a scheduled job that goes organisation by organisation (`runner`)."""
    from compliance.jobs.schedule import job_named  # the schedule lists jobs, not tasks

    run_batch(
        db.session(), job, job_named(job).function, datetime.fromisoformat(at), organization_ids
    )


def registry_sync() -> None:
    """The external registry's feed, read and applied on a worker (`jobs.schedule`)."""
    with reach_scope(db.session(), Reach.for_everything()):
        report = sync_external_registry(db.session())
        db.session.commit()
    log.info("registry synced", extra={"created": report.created, "updated": report.updated})


def build_export(export_id: int) -> None:
    """An evidence pack or a national workbook someone asked for (`services.exports`)."""
    exports.build_export(db.session(), export_id)
    db.session.commit()


def import_candidates(import_id: int) -> None:
    """A registry officer's candidate file (`services.registry.import_tasks`)."""
    run_candidate_import(db.session(), import_id)
    db.session.commit()


TASKS = (
    Task(
        "deliver_mail",
        deliver_mail,
        max_attempts=outbox.MAX_ATTEMPTS,
        retry_seconds=outbox.RETRY_SECONDS,
        queue="mail",
    ),
    # Inline in-process (like e-mail): each attempt is bounded to a few seconds.
    Task("deliver_webhook", deliver_webhook, queue="webhooks"),
    Task("validate_import", validate_in_background, background=True, queue="imports"),
    Task("run_import", import_in_background, background=True, queue="imports"),
    Task("organization_batch", organization_batch, queue="jobs"),
    Task("registry_sync", registry_sync, queue="jobs"),
    # Inline in-process (like e-mail): the page that asked shows the file ready at once.
    Task("build_export", build_export, queue="exports"),
    # Inline in-process too: the officer's page shows the outcome at once, as before.
    Task("import_candidates", import_candidates, queue="imports"),
)
