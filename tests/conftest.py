"""Shared fixtures: one schema per test session, one app per configuration, a rolled-back
transaction per test, and a frozen clock.

- **Database.** The schema is built once by the migrations. Each test runs inside a transaction
  on one connection that is rolled back at the end (as indico does): every session the app
  opens joins it through a savepoint, so a request's commit is a savepoint released, and
  nothing a test writes outlives it. Tests whose data another thread or process must read (a
  live server, gunicorn, two schedulers) really commit instead, and the tables are emptied
  after them: they use `live_server`, or say so with `@pytest.mark.commits`.
- **App.** Built once per distinct configuration and kept for the session; the instance folder
  (outbox, uploads, attachments) is emptied after each test.
- **Clock.** Every test runs at `tests.support.clock.DEFAULT_INSTANT` (the clock then ticks)
  unless it says otherwise: `@pytest.mark.real_clock` for tests that talk to a server running on
  the real clock, `@pytest.mark.calendar` to also run at each instant of the calendar sweep
  (`tests.support.clock.SWEEP`). The `instant` fixture is the instant the test runs at.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite on PostgreSQL; SQLite is the default.
Nothing here pushes an app context across test-client calls (see `_push_request_context`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.models import Base
from compliance.services.regions import load_regions
from tests.support.clock import DEFAULT_INSTANT, SWEEP, sweep_enabled
from tests.support.factories import Factory

REFERENCE_TABLES = {"provinces", "regencies", "alembic_version"}
_APPS: dict[str, Flask] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "commits: the test's data is really committed (another thread reads it)"
    )
    config.addinivalue_line("markers", "real_clock: runs on the machine's clock, not frozen")
    config.addinivalue_line("markers", "calendar: also runs at every instant of the sweep")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `calendar` run once per sweep instant as well as at the default one."""
    if "instant" not in metafunc.fixturenames:
        return
    pinned = any(
        "instant" in str(marker.args[0])
        for marker in metafunc.definition.iter_markers("parametrize")
    )
    if pinned:  # the test names its own instants
        return
    if metafunc.definition.get_closest_marker("calendar") and sweep_enabled():
        instants = {"default": DEFAULT_INSTANT, **SWEEP}
        metafunc.parametrize("instant", list(instants.values()), ids=list(instants), indirect=True)


@pytest.fixture
def instant(request: pytest.FixtureRequest) -> datetime | None:
    """The instant this test runs at (None: the machine's own clock)."""
    if request.node.get_closest_marker("real_clock"):
        return None
    return getattr(request, "param", DEFAULT_INSTANT)


@pytest.fixture(autouse=True)
def _frozen_clock(instant: datetime | None) -> Iterator[None]:
    """Travel to the test's instant; the clock ticks on from there, as on a real machine."""
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.sqlite3'}"


def reset_postgres_schema(url: str) -> None:
    engine = create_engine(Config.for_tests(url, Path()).database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database, migrated from empty to head once, with the reference regions loaded."""
    root = tmp_path_factory.mktemp("db")
    url = _database_url(root)
    if url.startswith("postgres"):
        reset_postgres_schema(url)
    app = create_app(Config.for_tests(url, root / "instance"))
    with app.app_context():
        upgrade()
        load_regions(db.session)
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The instance folder every test's app shares; emptied after each test."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture
def config(database_url: str, instance_path: Path) -> Config:
    """Override in a test module to change settings (for example the mail backend)."""
    return Config.for_tests(database_url, instance_path)


def app_for(config: Config) -> Flask:
    """One app per distinct configuration, built on first use and kept for the session."""
    key = repr(config)
    if key not in _APPS:
        app = create_app(config)
        with app.app_context():
            # A session bound to a test's connection joins its transaction with a savepoint.
            db.session.session_factory.configure(join_transaction_mode="create_savepoint")
        _APPS[key] = app
    return _APPS[key]


def commits(request: pytest.FixtureRequest) -> bool:
    return "live_server" in request.fixturenames or bool(request.node.get_closest_marker("commits"))


@pytest.fixture
def app(config: Config, request: pytest.FixtureRequest) -> Iterator[Flask]:
    app = app_for(config)
    try:
        if commits(request):
            yield app
            with app.app_context():
                _empty_tables()
        else:
            with _rolled_back(app):
                yield app
    finally:
        _empty_folder(config.instance_path)


@contextmanager
def _rolled_back(app: Flask) -> Iterator[None]:
    """Every session of `app` joins one transaction on one connection, rolled back at the end."""
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    if engine.dialect.name == "sqlite":
        # pysqlite begins transactions lazily and would let a savepoint's release commit;
        # take over: no implicit transactions, and an explicit BEGIN for the test's own.
        connection.connection.dbapi_connection.isolation_level = None  # type: ignore[union-attr]
        outer = connection.begin()
        connection.exec_driver_sql("BEGIN")
    else:
        outer = connection.begin()
    engines = db._app_engines[app]
    engines[None] = connection  # type: ignore[assignment]  # Session.get_bind returns it
    try:
        yield
    finally:
        engines[None] = engine
        outer.rollback()
        if engine.dialect.name == "sqlite":
            connection.invalidate()  # not back to the pool with our transaction settings
        connection.close()


def _empty_tables() -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def _empty_folder(path: Path) -> None:
    if path.is_dir():
        for child in path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


@pytest.fixture(autouse=True)
def _no_name_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Webhook URLs are resolved before each connection (`integrations.webhooks`); tests never
    ask a name server: addresses and `localhost` resolve, any other name is unknown (a test
    that needs one replaces `resolve` itself)."""
    import socket

    from compliance.integrations import webhooks

    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list:
        host = "127.0.0.1" if host == "localhost" else host
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)

    monkeypatch.setattr(webhooks, "resolve", resolve)


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Replace pytest-flask's fixture of this name: it keeps one app context across all
    test-client calls, so `g` (and Flask-Login's cached user) would leak between requests."""


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Replace pytest-flask's `client`, which is used as a context manager and so keeps the last
    request's app context pushed: a second client would then share its `g` and logged-in user."""
    return app.test_client()


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def outbox(config: Config) -> Path:
    return config.instance_path / "outbox"
