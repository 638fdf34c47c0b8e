"""What every benchmark needs: an app on a PostgreSQL database of its own, emptied and migrated.

Benchmarks run as scripts (`python bench/<name>.py`), so this module is imported by its plain
name from the bench folder.
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.services.regions import load_regions


def bench_app(**overrides: Any) -> Flask:
    """The application on `DATABASE_URL`, which must be PostgreSQL: benchmarks measure it.
    `overrides` change the configuration (`task_queue="procrastinate"` for workers)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of its own")
    instance = Path(tempfile.mkdtemp(prefix="kuota-bench-"))
    app = create_app(Config.for_tests(url, instance, **overrides))
    gc.freeze()  # as wsgi.py does in every served, worker and scheduler process
    return app


def reset_database(app: Flask) -> None:
    """Drop everything, migrate from empty and load the regions, as a fresh install would."""
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_regions(db.session)
        db.session.commit()
