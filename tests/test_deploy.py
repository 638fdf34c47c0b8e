"""The deployment files in deploy/ describe this application as it is: the runtime lock pins the
same versions as the development lock without its tools, the processes they start exist, and
nginx lets through every upload the application itself accepts."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
DEPLOY = ROOT / "deploy"
DEV_TOOLS = {"pytest", "playwright", "localstripe", "ruff", "mypy", "hypothesis", "aiosmtpd"}


def _pins(path: Path) -> dict[str, str]:
    text = path.read_text()
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)
    }


def test_the_runtime_lock_pins_what_development_pins_without_the_tools() -> None:
    runtime, development = (
        _pins(DEPLOY / "requirements-runtime.lock"),
        _pins(ROOT / "requirements.lock"),
    )
    different = {n: (v, development.get(n)) for n, v in runtime.items() if development.get(n) != v}
    assert not different, f"regenerate with -c requirements.lock (deploy/README.md): {different}"
    assert not DEV_TOOLS & runtime.keys()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert needed <= runtime.keys(), f"missing from the runtime lock: {needed - runtime.keys()}"


def test_the_processes_started_exist(app) -> None:
    procfile = (DEPLOY / "Procfile").read_text()
    units = "".join(p.read_text() for p in (DEPLOY / "systemd").glob("*.service"))
    for text in (procfile, units):
        assert "--config deploy/gunicorn.conf.py wsgi:app" in text
        assert "flask" in text
        assert "jobs run" in text
        assert "flask --app wsgi worker" in text or "flask worker" in text
    jobs = app.cli.commands["jobs"]
    assert "run" in jobs.commands  # type: ignore[attr-defined]
    assert "worker" in app.cli.commands
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["bind"] == "127.0.0.1:8000"
    assert "127.0.0.1:8000" in (DEPLOY / "nginx" / "kuota-inklusi.conf").read_text()
    assert (ROOT / "wsgi.py").is_file()


def test_nginx_lets_through_every_request_the_application_accepts(app) -> None:
    site = (DEPLOY / "nginx" / "kuota-inklusi.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", site)
    assert size is not None
    assert int(size[1]) * 1024 * 1024 > app.config["MAX_CONTENT_LENGTH"]
    static = re.search(r"location /static/ \{\s*alias /opt/kuota-inklusi/(\S+);", site)
    assert static is not None
    assert (ROOT / static[1]).resolve() == Path(app.static_folder or "").resolve()


def test_every_process_keeps_its_start_up_objects_out_of_the_collector(tmp_path: Path) -> None:
    """Web, worker and scheduler all load `wsgi.py`, which freezes what start-up made, so a
    request allocating a large roster does not make the collector walk the whole app."""
    probe = "import gc, wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}",
        "SECRET_KEY": "freeze-probe-secret-key",
        "INSTANCE_PATH": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    frozen, tracked = map(int, done.stdout.split())
    assert frozen > 10 * max(tracked, 1)
