"""Webhooks on procrastinate workers (PostgreSQL): the delivery task is a job of the change's
transaction, a worker sends it, and after a refusal the retry job queues the lane again and
the events still arrive in order."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, timedelta

import pytest
import time_machine
from sqlalchemy import select, text

from compliance.clock import now, utcnow
from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import job_named
from compliance.models.tenancy import Reach, reach_scope
from compliance.models.webhooks import DeliveryStatus, WebhookDelivery
from compliance.services.webhooks import endpoints
from compliance.services.webhooks.endpoints import EndpointInput
from tests.support.declarations import hr_of
from tests.support.queue import work_off
from tests.support.webhooks import running_receiver

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
        reason="procrastinate keeps its jobs in PostgreSQL",
    ),
    pytest.mark.commits,
]


@pytest.fixture
def config(config):
    return config if config.is_sqlite else replace(config, task_queue="procrastinate")


@pytest.fixture(autouse=True)
def _no_jobs_left(app):
    yield
    with app.app_context():
        db.session.execute(text("DELETE FROM procrastinate_jobs"))
        db.session.commit()


def _jobs(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            text("SELECT task_name, status FROM procrastinate_jobs ORDER BY id")
        ).all()
        db.session.rollback()
        return [(str(task), str(status)) for task, status in rows]


def _statuses(app) -> list[DeliveryStatus]:
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        found = list(
            db.session.scalars(select(WebhookDelivery.status).order_by(WebhookDelivery.id))
        )
        db.session.rollback()
        return found


def test_a_worker_delivers_in_order_after_a_refusal(app, factory):
    org = factory.org()
    with running_receiver(refuse=1) as receiver:
        with factory.session() as session:
            hr = hr_of(session, org.id)
            endpoint, _secret = endpoints.create_endpoint(
                session, hr, EndpointInput(receiver.url(), "SAP HR", ["case.opened"])
            )
            endpoint_id = endpoint.id
        with factory.session() as session:
            first = endpoints.send_test_event(session, hr_of(session, org.id), endpoint_id)
            first_event = first.event_id
        with factory.session() as session:
            second = endpoints.send_test_event(session, hr_of(session, org.id), endpoint_id)
            second_event = second.event_id
        assert receiver.received == [], "the request sends nothing itself"
        assert _jobs(app) == [("deliver_webhook", "todo"), ("deliver_webhook", "todo")]

        work_off(app)
        assert receiver.refused == 1
        assert receiver.received == [], "the second waits behind the refused first"
        assert _statuses(app) == [DeliveryStatus.PENDING, DeliveryStatus.PENDING]

        later = now() + timedelta(seconds=10)
        with time_machine.travel(later.astimezone(UTC), tick=True), app.app_context():
            job = job_named("webhook_retries")
            run_job(db.session(), job.name, job.function, utcnow())
            assert _jobs(app)[-1] == ("deliver_webhook", "todo"), "the lane is queued again"
            work_off(app)
        assert [r.json["id"] for r in receiver.received] == [first_event, second_event]
        assert _statuses(app) == [DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED]
