"""Shared fixtures: one schema per test session (built by the migrations), clean tables per test.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite on PostgreSQL; SQLite is the default.
Nothing here pushes an app context across test-client calls (see `_push_request_context`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.models import Base
from compliance.services.regions import load_regions
from tests.support.factories import Factory

REFERENCE_TABLES = {"provinces", "regencies", "alembic_version"}


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


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> Config:
    """Override in a test module to change settings (for example the mail backend)."""
    return Config.for_tests(database_url, tmp_path / "instance")


@pytest.fixture
def app(config: Config) -> Iterator[Flask]:
    app = create_app(config)
    yield app
    with app.app_context():
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


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
