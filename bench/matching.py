"""Benchmark of candidate matching on PostgreSQL at 100,000 candidates, beside a baseline.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench_matching scripts/postgres) .venv/bin/python
bench/matching.py` (`--candidates 100000 --repeat 5`). The database is emptied and migrated
first: use a database of its own.

- matching: `services.registry.matching.suggest` as the officer's page runs it: the SQL
  prefilter on plain indexed columns (and `candidate_skills`) ranks everyone who could fit by
  the points SQL can count, then Python decrypts and scores them best first, only while one
  could still enter the top 20;
- baseline: the obvious build, in the same run: load every candidate the officer may see with
  skills, preferred places, trainings and decrypted needs, filter and score all in Python.
Both return the top 20; the script checks that they agree. Medians of `--repeat` runs, and the
ratio baseline / matching. No assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from _common import reset_database
from sqlalchemy import select, text

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.models import Establishment, Organization, Reach, Role, User
from compliance.models.referrals import ReferralRequest
from compliance.models.regions import Regency
from compliance.models.registry import (
    Candidate,
    CandidateLocation,
    CandidateSkill,
    CandidateStatus,
    CandidateTraining,
    Uld,
    uld_officers,
)
from compliance.models.tenancy import reach_scope
from compliance.models.types import EncryptedList, EncryptedText
from compliance.services.registry import matching
from compliance.services.registry.vocabulary import ACCOMMODATIONS, SKILLS

PROVINCES = ("32", "36", "31")  # Jawa Barat (the officer's), Banten, DKI Jakarta
TOP = 20


def _copy(conn: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _tokens(values: list[Any]) -> list[str]:
    """Stored forms made by the column types themselves, whatever the cipher."""
    dialect = db.engine.dialect
    out = []
    for value in values:
        kind = EncryptedList() if isinstance(value, list) else EncryptedText()
        out.append(kind.process_bind_param(value, dialect))
    return out


def _populate(app: Any, count: int) -> tuple[int, int]:
    """`count` active candidates via COPY (a pool of real Fernet tokens, so decryption is real)."""
    rng = random.Random(7)
    reset_database(app)
    with app.app_context():
        with reach_scope(db.session, Reach.for_everything()):
            regencies = list(
                db.session.scalars(select(Regency).where(Regency.province_code.in_(PROVINCES)))
            )
            org = Organization(name="PT Bench", nib="8" * 13, npwp="8" * 15, sector="private",
                               head_office_regency_code="32.73")  # fmt: skip
            org.establishments.append(Establishment(name="Bandung", regency_code="32.73"))
            uld = Uld(name="ULD Jawa Barat", province_code="32")
            officer = User(email="bench@uld.example", name="Bench", role=Role.REGISTRY_OFFICER,
                           password_hash="-")  # noqa: S106  # fmt: skip
            officer.regencies = [r for r in regencies if r.province_code == "32"]
            db.session.add_all([org, uld, officer])
            db.session.flush()
            db.session.execute(uld_officers.insert().values(user_id=officer.id, uld_id=uld.id))
            request = ReferralRequest(
                organization_id=org.id, establishment_id=org.establishments[0].id, uld_id=uld.id,
                title="Staf administrasi", tasks="Entri data", hours="full_time",
                min_education="senior", skill_codes=["data_entry", "admin"],
                accommodations_offered=["screen_reader", "flexible_hours"], positions=3,
            )  # fmt: skip
            db.session.add(request)
            db.session.commit()
            officer_id, request_id = officer.id, request.id
        names = _tokens([f"Calon {i}" for i in range(50)])
        categories = _tokens([["physical"], ["sensory"], ["intellectual"], ["mental"]])
        needs_plain = [
            [],
            ["screen_reader"],
            ["step_free_access"],
            ["flexible_hours", "quiet_space"],
        ]
        needs = _tokens(needs_plain)
        skills, accommodations = list(SKILLS), list(ACCOMMODATIONS)
        assert accommodations
        candidates, skill_rows, place_rows, course_rows = [], [], [], []
        levels = ["primary", "junior", "senior", "senior", "diploma", "bachelor"]
        for i in range(1, count + 1):
            regency = rng.choice(regencies)
            candidates.append((
                i, regency.code, regency.province_code, "active", rng.choice(names),
                rng.choice(names), rng.choice(categories), rng.choice(needs), rng.choice(levels),
                rng.choice(["full_time", "part_time", "either"]),
                rng.choice(["available", "available", "in_training", "not_available"]),
                rng.random() < 0.1, 0, "2026-01-01", "2026-01-01",
            ))  # fmt: skip
            for code in rng.sample(skills, rng.randint(1, 4)):
                skill_rows.append((i, code))
            if rng.random() < 0.2:
                place_rows.append((i, rng.choice(regencies).code))
            if rng.random() < 0.3:
                course_rows.append((i, "Kursus", "BLK", rng.choice(skills), "2025-06-01", True))
        # Reading the regencies after the commit began a transaction: left open through the
        # load, it would keep VACUUM (below) from marking anything all-visible.
        db.session.close()
        with db.engine.begin() as conn:
            _copy(conn, "candidates",
                  "id, regency_code, province_code, status, name, phone, disability_categories, "
                  "accommodation_needs, education, hours, availability, is_willing_to_relocate, "
                  "category_mask, created_at, updated_at", candidates)  # fmt: skip
            _copy(conn, "candidate_skills", "candidate_id, skill_code", skill_rows)
            _copy(conn, "candidate_locations", "candidate_id, regency_code", place_rows)
            _copy(conn, "candidate_trainings",
                  "candidate_id, title, provider, skill_code, completed_on, has_certificate",
                  course_rows)  # fmt: skip
            conn.execute(text("SELECT setval('candidates_id_seq', :n)"), {"n": count})
        # As autovacuum leaves a table soon after a bulk load: pages marked all-visible, which
        # the index-only scans of the matching indexes need (a fresh COPY has none marked).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return officer_id, request_id


def baseline(session: Any, request: ReferralRequest) -> list[matching.Match]:
    """Every candidate in reach, loaded whole, filtered and scored in Python."""
    vacancy = matching.vacancy_of(session, request)
    skills: dict[int, set[str]] = {}
    for cid, code in session.execute(
        select(CandidateSkill.candidate_id, CandidateSkill.skill_code)
    ):
        skills.setdefault(cid, set()).add(code)
    places: dict[int, set[str]] = {}
    for cid, code in session.execute(
        select(CandidateLocation.candidate_id, CandidateLocation.regency_code)
    ):
        places.setdefault(cid, set()).add(code)
    courses: dict[int, list[str | None]] = {}
    for cid, code in session.execute(
        select(CandidateTraining.candidate_id, CandidateTraining.skill_code)
    ):
        courses.setdefault(cid, []).append(code)
    fits = matching._hours_fit(vacancy.hours)
    matches = []
    for c in session.scalars(select(Candidate)):
        near = c.province_code == vacancy.province_code or c.is_willing_to_relocate
        eligible = (
            c.status is CandidateStatus.ACTIVE and c.availability.value != "not_available"
            and c.hours in fits and c.education.rank >= vacancy.min_education.rank
            and (near or vacancy.regency_code in places.get(c.id, set()))
            and skills.get(c.id, set()) & vacancy.skill_codes
        )  # fmt: skip
        if eligible:
            row = matching.Row(c.id, c.regency_code, c.province_code, c.education, c.hours,
                               c.is_willing_to_relocate, c.accommodation_needs)  # fmt: skip
            mine = skills.get(c.id, set())
            wants = places.get(c.id, set())
            matches.append(matching.score(row, vacancy, mine, wants, courses.get(c.id, [])))
    matches.sort(key=lambda m: (-m.score, m.candidate_id))
    return matches[:TOP]


def _time(
    app: Any, officer_id: int, request_id: int, fn: Callable[..., Any], repeat: int
) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        with app.test_request_context():
            session = db.session()
            officer = session.execute(
                select(User).where(User.id == officer_id).execution_options(skip_tenant_scope=True)
            ).scalar_one()
            with reach_scope(session, officer.reach()):
                request = session.get(ReferralRequest, request_id)
                start = time.perf_counter()
                result = fn(session, request)
                times.append(time.perf_counter() - start)
            session.close()
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    config = Config.from_env()
    assert not config.is_sqlite, "run on PostgreSQL (DATABASE_URL): see the module docstring"
    app = create_app(config)
    start = time.perf_counter()
    officer_id, request_id = _populate(app, args.candidates)
    print(f"{args.candidates:,} candidates loaded in {time.perf_counter() - start:.1f} s")
    with app.test_request_context():
        session = db.session()
        with reach_scope(session, Reach.for_everything()):
            request = session.get(ReferralRequest, request_id)
            rows = matching.prefilter(session, matching.vacancy_of(session, request), request_id)
            print(f"prefilter keeps {len(rows):,} of {args.candidates:,}")
    fast, fast_result = _time(
        app, officer_id, request_id, lambda s, r: matching.suggest(s, r, TOP), args.repeat
    )
    slow, slow_result = _time(app, officer_id, request_id, baseline, max(1, args.repeat // 2))
    same = [(m.candidate_id, m.score) for m in fast_result] == [
        (m.candidate_id, m.score) for m in slow_result
    ]
    print(f"matching (prefilter + score): {fast * 1000:8.1f} ms")
    print(f"baseline (score everyone):    {slow * 1000:8.1f} ms")
    print(f"ratio baseline / matching:    {slow / fast:8.1f}x   same top {TOP}: {same}")


if __name__ == "__main__":
    main()
