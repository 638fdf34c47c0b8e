"""A roster import killed mid-way (issue 14, item 6): what it leaves behind, and the user's way out.

The attack: the worker dies while a large roster import with disability details runs. Whatever
batches it committed must each carry their consent records, the job must be discardable at
once (not only when housekeeping gives up on it), and uploading the same file again completes
the import. Batches are two rows here, so a six-row file is three batches.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import func, select

from compliance.clock import utcnow
from compliance.config import Config
from compliance.extensions import db
from compliance.models import ConsentRecord, Employee, User
from compliance.models.files import StoredFile
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import imports
from compliance.services.consent import withdraw_consent
from compliance.services.imports import confirm_import, run_import, start_import, validate_import
from compliance.services.imports.roster_write import write_roster
from tests.support.clock import today
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_rows
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, text_of


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the worker gets to handle it."""


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, import_inline_rows=100)


@pytest.fixture(autouse=True)
def _two_rows_a_batch(monkeypatch):
    monkeypatch.setattr(imports, "write_roster", partial(write_roster, batch_size=2))


@pytest.fixture
def org(factory):
    return factory.org(name="PT Terputus")


def _roster(org) -> bytes:
    """Six employees with disability details and consent; the first one's consent is renewed
    today after a withdrawal, the next two are already on the roster without details."""
    rows = roster_rows(6, org.establishment_ids[0])
    rows[0] = (*rows[0][:9], today().isoformat(), *rows[0][10:])  # consent_date
    return csv_bytes(ROSTER_HEADER, rows)


def _existing_roster(factory, org) -> None:
    withdrawn = make_employee(factory, org.id, number="E000000", name="Pegawai 0", details=True)
    make_employee(factory, org.id, number="E000001", name="Pegawai 1")
    make_employee(factory, org.id, number="E000002", name="Pegawai 2")
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        withdraw_consent(session, hr, withdrawn, now=utcnow() - timedelta(days=2))


def _confirmed(factory, org, data: bytes) -> int:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        with reach_scope(session, hr.reach()):
            job = start_import(session, hr, ImportKind.ROSTER, "roster.csv", data)
            validate_import(session, job)
            assert job.status is ImportStatus.READY, job.errors
            confirm_import(session, hr, job.id)
            return job.id


def _killed_on_third_batch(app, org, job_id: int) -> None:
    """Run the import as the background task does (a commit per batch), and kill it before the
    third batch's commit: the database rolls back the transaction the worker left open."""
    batches = 0

    def checkpoint() -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            raise WorkerKilled
        db.session.commit()

    with app.app_context(), reach_scope(db.session(), Reach(organization_id=org.id)):
        job = db.session.get(ImportJob, job_id)
        with pytest.raises(WorkerKilled):
            run_import(db.session(), job, checkpoint=checkpoint)
        db.session.rollback()


def _details_without_consent(factory) -> list[str]:
    with factory.session() as session:
        active = select(ConsentRecord.employee_id).where(ConsentRecord.withdrawn_at.is_(None))
        return [
            number
            for number, categories, has_consent in session.execute(
                select(
                    Employee.employee_number,
                    Employee.disability_categories,
                    Employee.id.in_(active),
                )
            )
            if categories and not has_consent
        ]


def _numbers(factory) -> list[str]:
    with factory.session() as session:
        return sorted(session.scalars(select(Employee.employee_number)))


def test_a_killed_import_leaves_no_details_without_consent_and_can_be_discarded_at_once(
    app, client, config, factory, org
):
    _existing_roster(factory, org)
    data = _roster(org)
    job_id = _confirmed(factory, org, data)
    _killed_on_third_batch(app, org, job_id)

    # Two batches were committed, each with its consents; the third left nothing.
    assert _numbers(factory) == [f"E00000{i}" for i in range(4)]
    assert _details_without_consent(factory) == []
    with factory.session() as session:
        renewed = session.scalar(select(Employee.id).where(Employee.employee_number == "E000000"))
        old, new = session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.employee_id == renewed)
            .order_by(ConsentRecord.id)
        )
        assert old.purged_at is not None, "the withdrawn consent's details were replaced"
        assert new.withdrawn_at is None
        job = session.get(ImportJob, job_id)
        assert (job.status, job.processed_rows) == (ImportStatus.IMPORTING, 4)
        upload = job.file_id
        assert session.get(StoredFile, upload) is not None

    # No worker is alive; the user discards the job at once.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, org.hr_email)
    show = f"/imports/{job_id}"
    running = text_of(client.get(show))
    assert f'action="{show}/discard"' in running
    assert "Stop and discard" in running
    response = client.post(f"{show}/discard", data={"csrf_token": csrf_token(client, show)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(show)
    page = text_of(client.get(show))
    assert "Import stopped. Nothing more will be saved." in page
    assert "4 of 6 rows had already been saved, and they stay saved." in page
    assert "To save the rest, upload the same file again." in page
    assert "<progress" not in page
    with factory.session() as session:
        job = session.get(ImportJob, job_id)
        assert job.status is ImportStatus.DISCARDED
        assert job.error_count == 0, "discarded, not failed"
        assert job.file_id is None
        assert session.get(StoredFile, upload) is None, "the upload with its personal data is gone"

    # Uploading the same file again completes the import.
    token = csrf_token(client, "/imports")
    again = client.post(
        "/imports",
        data={"csrf_token": token, "kind": "roster", "file": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data",
    )
    again_show = again.headers["Location"]
    client.post(f"{again_show}/confirm", data={"csrf_token": csrf_token(client, again_show)})
    assert _numbers(factory) == [f"E00000{i}" for i in range(6)]
    assert _details_without_consent(factory) == []
    with factory.session() as session:
        job = session.scalar(select(ImportJob).order_by(ImportJob.id.desc()))
        assert (job.status, job.created_count, job.unchanged_count) == (ImportStatus.DONE, 2, 4)
        assert session.scalar(select(func.count()).select_from(ConsentRecord)) == 7


@pytest.mark.parametrize("confirmed", [False, True], ids=["validating", "importing"])
def test_a_running_import_that_saved_nothing_yet_is_discarded_with_nothing_saved(
    client, factory, org, confirmed
):
    """A job whose worker died before its first batch (or while checking the file)."""
    data = _roster(org)
    if confirmed:
        job_id = _confirmed(factory, org, data)
    else:
        with factory.session() as session:
            hr = session.scalar(select(User).where(User.email == org.hr_email))
            with reach_scope(session, hr.reach()):
                job_id = start_import(session, hr, ImportKind.ROSTER, "r.csv", data).id
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, org.hr_email)
    show = f"/imports/{job_id}"
    running = text_of(client.get(show))
    hint = "Rows already saved stay saved" if confirmed else "Nothing has been saved yet."
    assert hint in running
    response = client.post(
        f"{show}/discard", data={"csrf_token": csrf_token(client, show)}, follow_redirects=True
    )
    assert "Import discarded. Nothing was saved." in text_of(response)
    assert "You discarded this import. Nothing from this file was saved." in text_of(
        client.get(show)
    )
    with factory.session() as session:
        job = session.get(ImportJob, job_id)
        assert (job.status, job.file_id) == (ImportStatus.DISCARDED, None)
    assert _numbers(factory) == []
