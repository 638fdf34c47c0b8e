"""Production shape: gunicorn with several workers serves the app against the test database,
and a login made on one worker holds on the others (no state in process memory)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from compliance.config import PROJECT_ROOT

#: gunicorn's workers are other processes: they read what the test commits.
pytestmark = pytest.mark.commits


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def gunicorn_url(database_url: str, tmp_path: Path, app):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test-secret-key",
        "INSTANCE_PATH": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    log = tmp_path / "gunicorn.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "3",
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(150):
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=5):  # noqa: S310
                        break
                except OSError:  # refused, reset or timed out while workers boot
                    time.sleep(0.1)
            else:
                pytest.fail("gunicorn did not start: " + log.read_text())
            yield url
        finally:
            process.terminate()
            process.wait(timeout=60)  # a busy machine takes a while to stop every worker


def test_gunicorn_workers_serve_a_shared_login(gunicorn_url, factory):
    org = factory.org(name="PT Produksi")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(gunicorn_url + "/login") as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrf_token": token, "email": org.hr_email, "password": "correct horse battery staple"}
    ).encode()
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(gunicorn_url + "/login", data=form)
    assert redirect.value.code == 302
    redirect.value.close()
    for _ in range(12):  # spread over the workers
        with opener.open(gunicorn_url + "/organization") as response:
            assert response.status == 200
            assert "PT Produksi" in response.read().decode()
    with urllib.request.urlopen(gunicorn_url + "/healthz") as health:  # noqa: S310
        assert health.status == 200
