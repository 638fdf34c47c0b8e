"""`/metrics` in Prometheus's text format, for the people who run the service.

Off unless `METRICS_ENABLED`; with `METRICS_TOKEN` a scrape must bring it as a bearer token
(the figures say how busy the service is, nothing about anybody, but they are nobody else's
business). What it exports:

- `kuota_request_seconds`: request latency by endpoint (the route's name, never its URL, so
  ids do not make a series each), method and status class.
- `kuota_mail_failures_total` (`integrations.mail`): delivery attempts the server refused.
- `kuota_task_outcomes_total` (`integrations.queue`): task attempts by task and outcome, counted
  by the process that ran them (the web process in-process; each `flask worker` otherwise).
- From the database at scrape time, the same on every instance: imports by status,
  e-mails by status (`queued` is the outbox's depth, `failed` its dead letters), the task
  queue's jobs by queue and status (procrastinate), and scheduled job runs of the last day by
  job and outcome.

gunicorn runs several processes: set `PROMETHEUS_MULTIPROC_DIR` to an empty folder (the client
library's own mechanism, see deploy/README.md) and the counters of every worker are added up.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from datetime import timedelta

from flask import Flask, Response, abort, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from compliance.access import public
from compliance.clock import utcnow
from compliance.config import Config
from compliance.extensions import db
from compliance.integrations.queue import queue_depth
from compliance.models.imports import ImportJob
from compliance.models.jobs import JobRun
from compliance.models.mail import OutgoingMail
from compliance.models.tenancy import SKIP_OPTION

REQUEST_SECONDS = Histogram(
    "kuota_request_seconds",
    "Time to answer a request, by endpoint, method and status class.",
    ["endpoint", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
_STARTED = "_metrics_started"


class DatabaseCollector(Collector):
    """Figures read from the database when Prometheus scrapes (inside the scrape's request)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        session = db.session()
        imports = GaugeMetricFamily(
            "kuota_imports",
            "Imports by status (validating and importing: work queued or running).",
            labels=["status"],
        )
        rows = session.execute(
            select(ImportJob.status, func.count())
            .group_by(ImportJob.status)
            .execution_options(**{SKIP_OPTION: True})  # a count across every organisation
        )
        for status, count in rows:
            imports.add_metric([status.value], count)
        yield imports
        runs = GaugeMetricFamily(
            "kuota_job_runs_last_day",
            "Scheduled job runs of the last 24 hours, by job and outcome.",
            labels=["job", "outcome"],
        )
        runs_by_outcome = session.execute(
            select(JobRun.job, JobRun.outcome, func.count())
            .where(JobRun.started_at >= utcnow() - timedelta(days=1))
            .group_by(JobRun.job, JobRun.outcome)
        )
        for job, outcome, count in runs_by_outcome:
            runs.add_metric([job, outcome], count)
        yield runs
        mail = GaugeMetricFamily(
            "kuota_mail", "E-mails in the outbox by status.", labels=["status"]
        )
        by_status = select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
        for mail_status, mail_count in session.execute(by_status):
            mail.add_metric([mail_status.value], mail_count)
        yield mail
        tasks = GaugeMetricFamily(
            "kuota_task_jobs",
            "The task queue's jobs by queue and status (todo and doing: its depth).",
            labels=["queue", "status"],
        )
        for queue, job_status, jobs in queue_depth(session):
            tasks.add_metric([queue, job_status], jobs)
        yield tasks


def exposition() -> bytes:
    """This process's counters (or every gunicorn worker's, in multiprocess mode), then the
    database's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(processes) + generate_latest(database)


def init_metrics(app: Flask, config: Config) -> None:
    """Time every request; serve `/metrics` when enabled."""

    @app.before_request
    def _start() -> None:
        setattr(g, _STARTED, time.perf_counter())

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get(_STARTED)
        if started is not None:
            REQUEST_SECONDS.labels(
                request.endpoint or "unmatched", request.method, f"{response.status_code // 100}xx"
            ).observe(time.perf_counter() - started)
        return response

    if not config.metrics_enabled:
        return

    @app.get("/metrics")
    @public  # for the monitoring system, which has no account: the token is the check
    def metrics() -> Response:
        if config.metrics_token:
            sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(sent.encode(), config.metrics_token.encode()):
                abort(404)  # as if there were no such page
        return Response(exposition(), mimetype=CONTENT_TYPE_LATEST)
