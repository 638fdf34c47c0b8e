"""What the people running the service see: `/metrics` (off by default, behind a token) with
request latency by endpoint, the import queue and job runs; and error reports sent to Sentry
without the personal data of the request that failed (a fake Sentry on loopback receives them)."""

from __future__ import annotations

import gzip
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
import sentry_sdk
from flask import request

from compliance import create_app
from compliance.access import public
from compliance.config import Config
from compliance.extensions import csrf
from compliance.models.files import FilePurpose
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.services.stored_files import store_file
from tests.conftest import app_for
from tests.support.web import login, post_form

TOKEN = "scrape-token-for-the-test-0001"
SECRET_NAME = "Siti Rahasia Binti Pelapor"


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, metrics_enabled=True, metrics_token=TOKEN)


def test_metrics_are_off_unless_enabled(config) -> None:
    off = app_for(replace(config, metrics_enabled=False))
    assert off.test_client().get("/metrics").status_code == 404


def test_metrics_give_latency_by_endpoint_the_import_queue_and_nothing_personal(
    client, factory
) -> None:
    org = factory.org(name=SECRET_NAME)
    with factory.session() as session:
        stored = store_file(session, org.id, FilePurpose.IMPORT, b"employee_number\n")
        for status in (ImportStatus.READY, ImportStatus.IMPORTING, ImportStatus.IMPORTING):
            session.add(
                ImportJob(
                    organization_id=org.id,
                    kind=ImportKind.ROSTER,
                    status=status,
                    filename="roster.csv",
                    file_format="csv",
                    file_id=stored.id,
                )
            )
        session.flush()
    login(client, org.hr_email)
    assert client.get("/roster").status_code == 200
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    post_form(client, "/password/forgot", {"email": org.hr_email})  # one mail, delivered

    assert client.get("/metrics").status_code == 404  # no token: as if there were no page
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 404
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert (
        'kuota_request_seconds_count{endpoint="roster.list_employees",method="GET",status="2xx"}'
        in text
    )
    assert 'kuota_imports{status="importing"} 2.0' in text
    assert 'kuota_imports{status="ready"} 1.0' in text
    assert "kuota_mail_failures_total" in text
    assert 'kuota_mail{status="sent"} 1.0' in text
    assert 'kuota_task_outcomes_total{outcome="succeeded",task="deliver_mail"}' in text
    assert "kuota_job_runs_last_day" in text
    assert SECRET_NAME not in text
    assert org.hr_email not in text


class FakeSentry(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint on loopback: keeps what it is sent."""

    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        FakeSentry.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sentry() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeSentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeSentry.received = []
    try:
        yield f"http://public@127.0.0.1:{server.server_address[1]}/1"
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: nothing is sent from here on
        server.shutdown()
        server.server_close()


def test_an_error_reaches_error_tracking_without_the_personal_data_around_it(
    config, sentry
) -> None:
    app = create_app(replace(config, sentry_dsn=sentry, metrics_enabled=False))

    @app.post("/test-only/fails")
    @public
    def fails() -> str:
        disability = dict(request.form)  # personal data in a local variable
        raise RuntimeError(f"failed for row {len(disability)}")

    csrf.exempt(fails)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 page, as in production
    response = app.test_client().post(
        f"/test-only/fails?name={SECRET_NAME.replace(' ', '+')}",
        data={
            "name": SECRET_NAME,
            "category": "mental",
            "file": (io.BytesIO(SECRET_NAME.encode()), "roster.csv"),
        },
        headers={"Cookie": "session=rahasia-cookie", "X-Forwarded-For": "10.1.2.3"},
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)
    assert FakeSentry.received, "the error was not reported"
    report = b"\n".join(FakeSentry.received).decode("utf-8", "replace")
    assert "RuntimeError" in report
    assert "failed for row 2" in report  # name and category
    assert "fails" in report  # where it broke
    for personal in (SECRET_NAME, "Siti", "mental", "rahasia-cookie", "10.1.2.3"):
        assert personal not in report, personal
    events = [json.loads(line) for line in report.splitlines() if line.startswith('{"')]
    assert any(e.get("request", {}).get("method") == "POST" for e in events)
