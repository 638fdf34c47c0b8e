"""A background import the user discards while its worker is alive stops cleanly (issue 14.6).

The worker reads its job again before each commit: once discarded, it writes no further batch,
keeps the ones it committed, and does not mark the job failed. These tests really commit: the
worker runs in its own thread (or session) and must see the discard another request made.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from compliance.config import Config
from compliance.integrations.queue import in_process_queue
from compliance.jobs.imports import validate_in_background
from compliance.models import ConsentRecord, Employee, User
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.models.tenancy import reach_scope
from compliance.services import imports
from compliance.services.imports import discard_import, start_import, validate_import
from compliance.services.imports.roster_write import write_roster
from compliance.services.imports.running import ImportStopped
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_rows
from tests.support.web import csrf_token, login, text_of

pytestmark = pytest.mark.commits

ROWS = 6  # three batches of two


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, import_inline_rows=2)  # six rows run in the background


@pytest.fixture
def org(factory):
    return factory.org(name="PT Dibatalkan")


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _job(factory, job_id: int) -> ImportJob:
    with factory.session() as session:
        job = session.get(ImportJob, job_id)
        session.expunge(job)
        return job


def _wait_for(factory, job_id: int, status: ImportStatus, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while _job(factory, job_id).status is not status:
        assert time.monotonic() < deadline, f"job {job_id} never became {status}"
        time.sleep(0.02)


def test_a_live_worker_stops_at_its_next_checkpoint_once_the_import_is_discarded(
    app, client, factory, org, monkeypatch, caplog
):
    first_batch_committed = threading.Event()
    discarded = threading.Event()

    def write_then_pause(session, organization_id, actor_id, rows, progress):
        def paused(done: int) -> None:
            progress(done)  # the task's checkpoint: commits the batch
            if done == 2:
                first_batch_committed.set()
                assert discarded.wait(30), "the test never discarded the import"

        return write_roster(session, organization_id, actor_id, rows, paused, batch_size=2)

    monkeypatch.setattr(imports, "write_roster", write_then_pause)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, org.hr_email)
    data = csv_bytes(ROSTER_HEADER, roster_rows(ROWS, org.establishment_ids[0]))
    token = csrf_token(client, "/imports")
    show = client.post(
        "/imports",
        data={"csrf_token": token, "kind": "roster", "file": (io.BytesIO(data), "big.csv")},
        content_type="multipart/form-data",
    ).headers["Location"]
    job_id = int(show.rsplit("/", 1)[1])
    _wait_for(factory, job_id, ImportStatus.READY)
    client.post(f"{show}/confirm", data={"csrf_token": csrf_token(client, show)})
    try:
        assert first_batch_committed.wait(30), "the worker never committed its first batch"
        running = text_of(client.get(show))
        assert "<progress" in running
        assert f'action="{show}/discard"' in running
        response = client.post(f"{show}/discard", data={"csrf_token": csrf_token(client, show)})
        assert response.headers["Location"].endswith(show)
    finally:
        discarded.set()
    in_process_queue(app).wait_idle(30)

    job = _job(factory, job_id)
    assert job.status is ImportStatus.DISCARDED, "discarded, not failed by the worker"
    assert (job.error_count, job.errors) == (0, [])
    assert job.processed_rows == 2
    assert job.file_id is None
    assert _count(factory, Employee) == 2, "no batch written after the discard"
    assert _count(factory, ConsentRecord) == 2
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]
    page = text_of(client.get(show))
    assert "2 of 6 rows had already been saved, and they stay saved." in page


def test_a_discard_while_the_file_is_checked_is_not_overwritten(
    app, factory, org, monkeypatch, caplog
):
    """The check has no batches: the worker reads its job again before storing the result."""
    data = csv_bytes(ROSTER_HEADER, roster_rows(ROWS, org.establishment_ids[0]))
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        with reach_scope(session, hr.reach()):
            job_id = start_import(session, hr, ImportKind.ROSTER, "big.csv", data).id
        hr_id = hr.id

    def discard_meanwhile(*args, **kwargs):
        rows = check(*args, **kwargs)
        with factory.session() as session:  # another session: the user's request
            actor = session.get(User, hr_id)
            with reach_scope(session, actor.reach()):
                discard_import(session, actor, job_id)
        return rows

    check = imports.validate_roster
    monkeypatch.setattr(imports, "validate_roster", discard_meanwhile)
    with app.app_context():  # the task, run here; the factory's sessions are other ones
        validate_in_background(job_id)

    job = _job(factory, job_id)
    assert job.status is ImportStatus.DISCARDED
    assert (job.error_count, job.file_id) == (0, None)
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]


def test_a_worker_that_finds_its_upload_deleted_by_a_discard_stops_without_failing(
    app, factory, org
):
    """The discard deleted the upload after the worker loaded its job, before it read the file."""
    data = csv_bytes(ROSTER_HEADER, roster_rows(ROWS, org.establishment_ids[0]))
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        with reach_scope(session, hr.reach()):
            job_id = start_import(session, hr, ImportKind.ROSTER, "big.csv", data).id
        hr_id = hr.id
    with factory.session() as worker_session:
        job = worker_session.get(ImportJob, job_id)  # loaded while still "validating"
        with factory.session() as session:  # the user's request, meanwhile
            actor = session.get(User, hr_id)
            with reach_scope(session, actor.reach()):
                discard_import(session, actor, job_id)
        with pytest.raises(ImportStopped):
            validate_import(worker_session, job)
        worker_session.rollback()
    assert _job(factory, job_id).status is ImportStatus.DISCARDED
