"""Migrations are the only way the schema is made: one head, upgrade from empty, models match."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine

from compliance import create_app
from compliance.config import PROJECT_ROOT, Config
from compliance.extensions import db
from compliance.models import Base
from compliance.models.base import is_ours


def test_single_head():
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_models_match_the_head(database_url):
    """The session database was built by `upgrade()` from empty (see conftest)."""
    engine = create_engine(Config.for_tests(database_url, Path()).database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": is_ours})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_downgrade_upgrade_on_a_fresh_sqlite_file(tmp_path: Path):
    app = create_app(Config.for_tests(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        db.engine.dispose()
