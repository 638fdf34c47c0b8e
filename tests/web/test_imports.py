"""The import pages: template download, upload, report, confirm, and background progress."""

from __future__ import annotations

import gc
import io
import time
from dataclasses import replace

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from compliance.config import Config
from compliance.integrations.queue import in_process_queue
from compliance.models import Employee, WorkforceFigure
from compliance.models.imports import ImportJob, ImportStatus
from compliance.services.imports.spec import FIGURES_COLUMNS
from tests.conftest import app_for
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_row, roster_rows, xlsx_bytes
from tests.support.web import csrf_token, login, text_of


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, import_inline_rows=100)


@pytest.fixture
def org(factory):
    return factory.org(name="PT Unggah")


def _upload(client, kind: str, data: bytes, filename: str):
    token = csrf_token(client, "/imports")
    return client.post(
        "/imports",
        data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_templates_download_and_read_back(client, org):
    login(client, org.hr_email)
    page = text_of(client.get("/imports"))
    assert "/imports/template?kind=roster&amp;format=xlsx" in page
    response = client.get("/imports/template?kind=roster&format=xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names[:2] == ["Petunjuk - Instructions", "Data"]
    header = book.get_sheet_by_name("Data").to_python()[0]
    assert header == list(ROSTER_HEADER)
    instructions = str(book.get_sheet_by_name("Petunjuk - Instructions").to_python())
    assert "Persetujuan dahulu" in instructions
    assert "Consent first" in instructions
    figures = client.get("/imports/template?kind=figures&format=csv")
    assert figures.data.decode("utf-8-sig").strip().startswith("establishment,month,permanent")
    assert "pns" not in figures.data.decode()  # a private company reports no civil servants
    assert client.get("/imports/template?kind=nothing&format=csv").status_code == 404


def test_upload_report_confirm_done(client, factory, org):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, org.hr_email)
    est = org.establishment_ids[0]
    response = _upload(client, "roster", csv_bytes(ROSTER_HEADER, roster_rows(3, est)), "r.csv")
    assert response.status_code == 302
    show = response.headers["Location"]
    page = text_of(client.get(show))
    assert "Import 3 rows" in page
    assert _count(factory, Employee) == 0  # nothing before confirmation
    token = csrf_token(client, show)
    done = client.post(f"{show}/confirm", data={"csrf_token": token}, follow_redirects=True)
    assert done.status_code == 200
    assert _count(factory, Employee) == 3
    again = client.post(f"{show}/confirm", data={"csrf_token": token}, follow_redirects=True)
    assert _count(factory, Employee) == 3
    assert again.status_code == 200


@pytest.mark.commits  # the second instance reads through its own connection
def test_an_upload_checked_on_one_instance_is_confirmed_on_another(
    client, factory, config, org, tmp_path
):
    """Two instances of the application, each with its own instance folder (its own disk), one
    database: the upload is checked on the first and confirmed on the second (it was a 500)."""
    second = app_for(replace(config, instance_path=tmp_path / "second-instance"))
    est = org.establishment_ids[0]
    login(client, org.hr_email)
    response = _upload(client, "roster", csv_bytes(ROSTER_HEADER, roster_rows(3, est)), "r.csv")
    assert response.status_code == 302
    show = response.headers["Location"]
    assert not (config.instance_path / "imports").exists()  # nothing on the first one's disk

    other = second.test_client()
    login(other, org.hr_email)
    token = csrf_token(other, show)
    done = other.post(f"{show}/confirm", data={"csrf_token": token}, follow_redirects=True)
    assert done.status_code == 200
    assert _count(factory, Employee) == 3
    with factory.session() as session:
        job = session.scalar(select(ImportJob))
        assert (job.status, job.file_id) == (ImportStatus.DONE, None)


def test_bad_file_shows_row_and_column_and_saves_nothing(client, factory, org):
    login(client, org.hr_email)
    est = org.establishment_ids[0]
    rows = [roster_row("A", est), roster_row("B", est, start="31/12/2024")]
    response = _upload(client, "roster", xlsx_bytes(ROSTER_HEADER, rows), "r.xlsx")
    page = text_of(client.get(response.headers["Location"]))
    assert "start_date" in page
    assert "31/12/2024" in page
    assert "<td>3</td>" in page  # the sheet row of the bad line
    assert "/confirm" not in page
    assert _count(factory, Employee) == 0


def test_wrong_file_type_is_a_form_error(client, org):
    login(client, org.hr_email)
    response = _upload(client, "roster", b"%PDF-1.4", "roster.pdf")
    assert response.status_code == 422
    assert 'id="file-error"' in text_of(response)


@pytest.mark.commits  # the task's own thread must see the upload, and the test its writes
def test_large_import_runs_in_the_background_with_progress(app, client, factory, org):
    login(client, org.hr_email)
    est = org.establishment_ids[0]
    rows = [(est, f"{2000 + i // 12}-{i % 12 + 1:02d}", "10", "1") for i in range(300)]
    header = ["establishment", "month", "permanent", "fixed_term"]
    roster = csv_bytes(ROSTER_HEADER, roster_rows(3000, est))
    for kind, data, model, expected in [
        ("figures", csv_bytes(header, rows), WorkforceFigure, 600),
        ("roster", roster, Employee, 3000),
    ]:
        show = _upload(client, kind, data, "big.csv").headers["Location"]
        status = _wait(client, f"{show}/status")
        assert status["status"] == "ready", status
        page = text_of(client.get(show))
        assert "<progress" not in page
        client.post(f"{show}/confirm", data={"csrf_token": csrf_token(client, show)})
        running = text_of(client.get(show))
        seen = [_status(client, f"{show}/status")]
        status = _wait(client, f"{show}/status", seen)
        assert status["status"] == "done", status
        assert status["percent"] == 100
        assert status["processed"] == status["total"]
        assert _count(factory, model) == expected
        assert "<progress" in running or seen[0]["status"] == "done"
    assert set(FIGURES_COLUMNS) >= set(header)
    in_process_queue(app).wait_idle()  # the tasks' last steps run after their status is written
    assert gc.isenabled(), "the tasks paused the cycle collector and must turn it back on"


def _status(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_json()


def _wait(client, url, seen=None, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(client, url)
        if seen is not None:
            seen.append(status)
        if not status["running"]:
            return status
        time.sleep(0.05)
    raise AssertionError(f"still running after {timeout} s: {status}")


def test_import_status_is_updated_while_running(app, factory, org):
    """A running job's row is what the status endpoint reads: a job left mid-way shows it."""
    with factory.session() as session:
        session.add(
            ImportJob(
                organization_id=org.id,
                kind="roster",
                status=ImportStatus.IMPORTING,
                filename="x.csv",
                file_format="csv",
                total_rows=200,
                processed_rows=50,
                errors=[],
            )
        )
    with factory.session() as session:
        job = session.scalar(select(ImportJob))
        assert job.percent == 25
        assert job.status.is_running
