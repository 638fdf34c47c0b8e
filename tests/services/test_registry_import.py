"""Candidate import: every error at once, nothing written unless the whole file is clean."""

from __future__ import annotations

from sqlalchemy import func, select

from compliance.models import User
from compliance.models.registry import Candidate, CandidateStatus
from compliance.services.imports.spec import error_text
from compliance.services.registry.candidate_import import import_candidates
from tests.registry.support import make_officer

HEADER = (
    "name,phone,regency,categories,education,hours,availability,skills,"
    "consent_given_by,consent_method,consent_date,consent_text_version,share_category\n"
)
GOOD = (
    "Rina,0812,36.71,sensory;physical,senior,full_time,available,admin;data_entry,"
    "candidate,written,2025-01-02,2026-11,ya\n"
)
DRAFT = "Agus,0813,36.71,physical,diploma,either,in_training,accounting,,,,,\n"


def _run(factory, officer, content: str, filename: str = "kandidat.csv"):
    with factory.session() as session:
        actor = session.get(User, officer.id)
        report = import_candidates(session, actor, filename, content.encode())
        if not report.is_clean:
            session.rollback()
        messages = [(e.row, e.column, error_text(e.code, e.params)) for e in report.errors]
        return report, messages


def _count(factory) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(Candidate))


def test_a_clean_file_creates_active_and_draft_candidates(app, factory):
    officer = make_officer(factory, ("36.71",))
    report, _ = _run(factory, officer, HEADER + GOOD + DRAFT)
    assert report.is_clean
    assert report.created == 2
    with factory.session() as session:
        statuses = sorted(c.status for c in session.scalars(select(Candidate)))
    assert statuses == [CandidateStatus.ACTIVE, CandidateStatus.DRAFT]


def test_every_error_is_reported_and_nothing_is_written(app, factory):
    officer = make_officer(factory, ("36.71",))
    bad = (
        HEADER
        + GOOD
        + ",0812,36.71,sensory,college,full_time,available,,,,,,\n"
        + "Dewi,0812,35.78,sensory,senior,full_time,available,,,,,,\n"
        + "Eka,0812,36.71,sensory,senior,full_time,available,,"
        + "candidate,written,31/12/2024,2026-11,\n"
    )
    report, messages = _run(factory, officer, bad)
    assert not report.is_clean
    assert (3, "name", "This cell is required.") in messages
    assert any(row == 3 and column == "education" for row, column, _ in messages)
    assert (4, "regency", "Choose one of your regencies or cities.") in messages
    assert any(row == 5 and column == "consent_date" for row, column, _ in messages)
    assert _count(factory) == 0


def test_a_header_without_required_columns_is_refused(app, factory):
    officer = make_officer(factory, ("36.71",))
    report, messages = _run(factory, officer, "name,phone\nRina,0812\n")
    assert not report.is_clean
    assert "Columns missing" in messages[0][2]
    assert _count(factory) == 0
