"""The task queue on PostgreSQL (procrastinate): a task is written with the change that asks for
it, run by a `flask worker`, and refused where it cannot work (issue 18)."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import func, select, text

from compliance.extensions import db
from compliance.jobs import runner
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import job_named
from compliance.jobs.tasks import organization_batch
from compliance.models.mail import MailStatus, OutgoingMail
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import emails
from tests.registry.support import make_officer
from tests.support.clock import today
from tests.support.mail import sent_mails
from tests.support.queue import work_off
from tests.support.web import csrf_token, login, post_form, text_of

on_postgres = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="procrastinate keeps its jobs in PostgreSQL",
)


@pytest.fixture
def config(config):
    if config.is_sqlite:
        return config
    return replace(config, task_queue="procrastinate")


def _jobs(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.execute(
            text("SELECT task_name, status, args FROM procrastinate_jobs ORDER BY id")
        ).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


@pytest.fixture
def _no_jobs_left(app):
    yield
    with app.app_context():
        db.session.execute(text("DELETE FROM procrastinate_jobs"))
        db.session.commit()


@on_postgres
@pytest.mark.commits
@pytest.mark.usefixtures("_no_jobs_left")
def test_a_mail_is_a_job_of_its_transaction_and_a_worker_delivers_it(app, client, factory, outbox):
    org = factory.org()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    post_form(client, "/password/forgot", {"email": org.hr_email})
    ((task, status, args),) = _jobs(app)
    with app.app_context():
        mail = db.session.scalar(select(OutgoingMail))
        assert mail is not None
        assert mail.status is MailStatus.QUEUED
        assert (task, status, args) == ("deliver_mail", "todo", {"mail_id": mail.id})
    assert sent_mails(outbox) == [], "the web request sends nothing itself"

    work_off(app)

    (message,) = sent_mails(outbox)
    assert message.to == org.hr_email
    assert message.subject == "Reset your Kuota Inklusi password"
    assert [status for task, status, _args in _jobs(app) if task == "deliver_mail"] == ["succeeded"]
    with app.app_context():
        assert db.session.scalar(select(OutgoingMail.status)) is MailStatus.SENT


@on_postgres
@pytest.mark.commits
@pytest.mark.usefixtures("_no_jobs_left")
def test_a_change_rolled_back_leaves_no_job(app, factory):
    org = factory.org()
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        recipient = emails.for_address(org.hr_email, "en")
        emails.send(db.session(), "password_reset", [recipient], action_url="x", minutes=30)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0
    assert _jobs(app) == []


def test_a_worker_needs_the_queue_on_postgresql(app):
    if not app.extensions["kuota_config"].is_sqlite:
        pytest.skip("the refusal is for the embedded default (SQLite, in-process)")
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 2
    assert "TASK_QUEUE is 'in-process'" in result.output


@on_postgres
@pytest.mark.commits
@pytest.mark.usefixtures("_no_jobs_left")
def test_a_scheduled_job_fans_out_in_batches_that_workers_share(app, factory, outbox, monkeypatch):
    """Reminders to many organisations: the scheduler queues them in batches, the workers send
    them, each once, and a batch run twice (a retried task) sends nothing more."""
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    orgs = [factory.org(name=f"PT Batch {n}") for n in range(5)]
    now = datetime(today().year + 1, 1, 2, 1, 0)  # noqa: DTZ001 (naive UTC, as the jobs take it)
    with app.app_context():
        job = job_named("deadline_reminders")
        run = run_job(db.session(), job.name, job.function, now)
        assert (run.outcome, run.processed) == ("succeeded", 5)
    batches = [args for task, _status, args in _jobs(app) if task == "organization_batch"]
    assert [len(args["organization_ids"]) for args in batches] == [2, 2, 1]
    assert sent_mails(outbox) == [], "the scheduler only queues"

    work_off(app, ["jobs", "mail"], concurrency=2)
    work_off(app, ["mail"])  # the mails the batches queued
    assert sorted(m.to for m in sent_mails(outbox)) == sorted(o.hr_email for o in orgs)

    with app.app_context():
        organization_batch(**batches[0])  # the first batch again
        work_off(app, ["mail"])
    assert len(sent_mails(outbox)) == 5, "each reminder once"


@on_postgres
@pytest.mark.commits
@pytest.mark.usefixtures("_no_jobs_left")
def test_a_candidate_file_is_checked_and_written_by_a_worker(app, client, factory):
    officer = make_officer(factory, ("36.71",))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, officer.email)
    header = "name,phone,regency,categories,education,hours,availability\n"
    rows = "".join(f"Calon {n},0812,36.71,sensory,senior,full_time,available\n" for n in range(3))
    response = client.post(
        "/registry/import",
        data={
            "csrf_token": csrf_token(client, "/registry/import"),
            "file": (io.BytesIO((header + rows).encode()), "kandidat.csv"),
        },
        content_type="multipart/form-data",
    )
    page = response.headers["Location"]
    assert "kandidat.csv is being checked." in text_of(client.get(page))
    work_off(app, ["imports"])
    assert "3 candidates imported." in text_of(client.get(page))
