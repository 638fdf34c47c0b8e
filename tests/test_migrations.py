"""Migrations are the only way the schema is made: one head, upgrade from empty, models match."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from compliance import create_app
from compliance.config import PROJECT_ROOT, Config
from compliance.extensions import db
from compliance.models import Base
from compliance.models.base import is_ours
from compliance.models.types import key_ring
from compliance.services.regions import load_regions


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


def test_the_counts_by_category_are_filled_from_the_rows_they_count(tmp_path: Path):
    """0028 counts the candidates already stored (decrypted with the data keys), and undoes."""
    app = create_app(Config.for_tests(f"sqlite:///{tmp_path / 'counts.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade(revision="0027")
        load_regions(db.session)
        db.session.commit()
        insert = text(
            "INSERT INTO candidates (regency_code, province_code, status, name, "
            "disability_categories, education, hours, availability, is_willing_to_relocate, "
            "category_mask, created_at, updated_at) VALUES ('36.71', '36', :status, :name, "
            ":categories, 'senior', 'full_time', :availability, false, 0, :now, :now)"
        )
        for status, categories, availability in (
            ("active", '["physical","sensory"]', "available"),
            ("active", '["sensory"]', "available"),
            ("active", '["mental"]', "in_training"),
            ("draft", '["mental"]', "in_training"),
        ):
            db.session.execute(
                insert,
                {
                    "status": status,
                    "name": key_ring().encrypt(b"Rahasia"),
                    "categories": key_ring().encrypt(categories.encode()),
                    "availability": availability,
                    "now": "2026-12-01 00:00:00",
                },
            )
        db.session.commit()
        upgrade(revision="0028")
        stored = db.session.execute(
            text("SELECT kind, regency_code, counts FROM category_counts")
        ).one()
        assert tuple(stored[:2]) == ("candidates", "36.71")
        assert "sensory" not in stored.counts  # encrypted, as the rows it counts
        assert json.loads(key_ring().decrypt(stored.counts)) == [
            ["mental", "in_training", 1],
            ["physical", "available", 1],
            ["sensory", "available", 2],
        ]
        db.session.commit()
        downgrade(revision="0027")
        assert "category_counts" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_the_kept_counts_are_filled_from_the_summary_rows(tmp_path: Path):
    """0029 counts the summary rows already stored per province and status, and undoes."""
    app = create_app(Config.for_tests(f"sqlite:///{tmp_path / 'kept.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade(revision="0028")
        load_regions(db.session)
        for n in (1, 2):
            db.session.execute(
                text(
                    "INSERT INTO organizations (id, name, nib, npwp, sector, "
                    "head_office_regency_code, created_at, wlkp_due_month) VALUES "
                    "(:n, 'PT Contoh', :nib, :nib, 'private', '31.71', '2026-12-01', 1)"
                ),
                {"n": n, "nib": f"{n:013d}"},
            )
        for org, province, status, declared in (
            (1, "31", "overdue", False),
            (1, "35", "overdue", False),
            (2, "31", "filed_shortfall", True),
        ):
            db.session.execute(
                text(
                    "INSERT INTO compliance_summaries (organization_id, province_code, "
                    "regency_codes, name, nib, npwp, sector, counted, gap, status, due_year, "
                    "due_on, zone, is_due_declared, has_declared, flags, audit_event_id, "
                    "refreshed_at, months_complete) VALUES (:org, :province, '[]', 'PT Contoh', "
                    "'1', '1', 'private', 0, 1, :status, 2025, '2026-01-31', 'WIB', :declared, "
                    ":declared, '[]', 0, '2026-12-01', 12)"
                ),
                {"org": org, "province": province, "status": status, "declared": declared},
            )
        db.session.commit()
        upgrade(revision="0029")
        stored = db.session.execute(
            text(
                "SELECT province_code, status, is_due_declared, due_on, zone, organizations "
                "FROM compliance_counts ORDER BY province_code, status"
            )
        ).all()
        assert [tuple(row) for row in stored] == [
            ("31", "filed_shortfall", 1, "2026-01-31", "WIB", 1),
            ("31", "overdue", 0, "2026-01-31", "WIB", 1),
            ("35", "overdue", 0, "2026-01-31", "WIB", 1),
        ]
        db.session.commit()
        downgrade(revision="0028")
        assert "compliance_counts" not in inspect(db.engine).get_table_names()
        indexes = {
            index["name"]: index["column_names"]
            for index in inspect(db.engine).get_indexes("compliance_summaries")
        }
        rank = ["province_code", "gap", "organization_id"]
        assert indexes["ix_compliance_summaries_rank"] == rank
        assert "ix_compliance_summaries_name" not in indexes
        establishments = {
            index["name"]: index["column_names"]
            for index in inspect(db.engine).get_indexes("establishments")
        }
        assert establishments["ix_establishments_regency_code"] == ["regency_code"]
        db.engine.dispose()
