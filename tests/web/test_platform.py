"""Security headers, the health check, logging format and the WSGI entry point."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace

from compliance import create_app
from compliance.models import Role
from tests.support.web import csrf_token, login


def test_security_headers_with_a_strict_csp(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_https_deployment_gets_secure_cookies_and_hsts(config):
    app = create_app(replace(config, cookie_secure=True))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(config, tmp_path):
    broken = replace(config, database_url=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    response = create_app(broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_json_logs_are_one_object_per_line(config, capsys):
    app = create_app(replace(config, log_format="json"))
    with app.test_request_context("/some/path"):
        logging.getLogger("compliance.test").warning("hello %s", "world")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["message"] == "hello world"
    assert record["levelname"] == "WARNING"
    assert record["path"] == "/some/path"


def test_the_favicon_is_served_from_our_static_files(client):
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
    moved = client.get("/favicon.ico")
    assert moved.status_code == 301
    icon = client.get(moved.headers["Location"])
    try:
        assert icon.status_code == 200
        assert icon.content_type.startswith("image/svg+xml")
    finally:
        icon.close()  # a static file is streamed: close it, as the server would


def test_pages_with_several_forms_repeat_no_id(client, factory):
    """Every form carries its CSRF token; none of them as `id="csrf_token"`, which repeated
    on pages with several forms (the drill-down has five)."""
    org = factory.org()
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, org.hr_email)
    pages = [client.get(p).get_data(as_text=True) for p in ("/organization", "/declarations")]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})
    login(client, inspector.email)
    pages.append(client.get(f"/inspections/organizations/{org.id}").get_data(as_text=True))
    for page in pages:
        assert 'name="csrf_token"' in page
        ids = re.findall(r'\sid="([^"]+)"', page)
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, repeated
