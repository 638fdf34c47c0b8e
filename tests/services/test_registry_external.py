"""The external registry adapter, against a small fake JSON API on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from sqlalchemy import func, select

from compliance.config import Config
from compliance.integrations import registry_feed
from compliance.models.registry import Candidate, CandidateStatus
from compliance.services import ServiceError
from compliance.services.registry.external import sync_external_registry


class FakeRegistry(BaseHTTPRequestHandler):
    payload: ClassVar[Any] = {"candidates": []}
    body: bytes | None = None  # raw bytes instead of the payload (a broken response)
    seen_auth: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        FakeRegistry.seen_auth.append(self.headers.get("Authorization", ""))
        body = self.body if self.body is not None else json.dumps(self.payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    httpd = HTTPServer(("127.0.0.1", 0), FakeRegistry)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    FakeRegistry.payload, FakeRegistry.body = {"candidates": []}, None


@pytest.fixture
def config(config: Config, server: HTTPServer) -> Config:
    url = f"http://127.0.0.1:{server.server_address[1]}/candidates"
    return replace(config, registry_external_url=url, registry_external_token="rahasia")


def _record(id_: str = "A-1", *, consent: bool = True, **overrides: Any) -> dict[str, Any]:
    record = {
        "id": id_,
        "regency_code": "36.71",
        "name": "Joko Widodo Contoh",
        "phone": "0812-0000",
        "categories": ["physical"],
        "education": "senior",
        "hours": "full_time",
        "availability": "available",
        "skills": ["admin"],
        "accommodation_needs": ["step_free_access"],
        "consent": {"given": consent, "given_by": "candidate", "method": "electronic",
                    "given_at": "2025-02-01", "text_version": "ext-1", "share_category": True},
    }  # fmt: skip
    record.update(overrides)
    return record


def _sync(factory):
    with factory.session() as session:
        return sync_external_registry(session)


def _candidates(factory) -> list[tuple[str, CandidateStatus, str]]:
    with factory.session() as session:
        return [
            (c.external_id, c.status, c.name)
            for c in session.scalars(select(Candidate).order_by(Candidate.external_id))
        ]


def test_sync_creates_updates_and_is_idempotent(app, factory):
    FakeRegistry.payload = {"candidates": [_record(), _record("B-2", consent=False)]}
    report = _sync(factory)
    assert (report.created, report.skipped) == (1, 1)  # no consent: never stored
    assert FakeRegistry.seen_auth[-1] == "Bearer rahasia"
    assert _candidates(factory) == [("A-1", CandidateStatus.ACTIVE, "Joko Widodo Contoh")]

    assert _sync(factory).unchanged == 1  # nothing changed, nothing written

    FakeRegistry.payload = {"candidates": [_record(name="Joko Baru")]}
    assert _sync(factory).updated == 1
    assert _candidates(factory)[0][2] == "Joko Baru"

    FakeRegistry.payload = {"candidates": [_record(name="Joko Baru", consent=False)]}
    assert _sync(factory).withdrawn == 1
    assert _candidates(factory)[0][1] is CandidateStatus.WITHDRAWN


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"people": []}',
        json.dumps({"candidates": [_record(regency_code="99.99")]}).encode(),
        json.dumps({"candidates": [_record(education="college")]}).encode(),
        json.dumps({"candidates": [_record(), _record()]}).encode(),
    ],
)
def test_a_malformed_response_changes_nothing(app, factory, body):
    FakeRegistry.payload = {"candidates": [_record()]}
    _sync(factory)
    FakeRegistry.body = body
    with pytest.raises(ServiceError, match="external registry"):
        _sync(factory)
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(Candidate)) == 1


def test_a_feed_larger_than_the_limit_is_refused_while_reading(app, factory, monkeypatch):
    # A feed that answers more than the limit (here lowered to 1 KB so the test stays small)
    # is refused after reading one byte past it, not after filling the memory.
    monkeypatch.setattr(registry_feed, "MAX_BYTES", 1024)
    FakeRegistry.payload = {"candidates": [_record(f"A-{n}") for n in range(20)]}
    with pytest.raises(ServiceError, match="larger than 1024 bytes"):
        _sync(factory)
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(Candidate)) == 0
