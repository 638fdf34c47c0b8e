"""Benchmark of the registry statistics: counting by decrypting every row (before) against the
kept, encrypted counts per regency (after), on the same national database in the same run.

Run on a copy of the database filled by bench/national.py, migrated to the head:
    URL=$(PGTEST_DB=kuota_stats_a scripts/postgres)
    DATABASE_URL=$URL .venv/bin/python bench/registry_statistics.py

For the admin (national) and the officers of the ULDs of Kota Bandung and Kota Surabaya: the
median time of the counts by category of candidates and of employed workers the old way (the
statistics' code before `models.counts`, kept here as the reference) and the new way
(`services.registry.counts`), whether both give the same numbers, and then the whole page
`/registry/statistics` through the test client as national_pages.py times it. Changes nothing
but login records. No assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any
from unittest.mock import patch

from _common import bench_app
from national_pages import ADMIN, CITIES, Statements, _login, _ms, _officer, _page
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from compliance.extensions import db
from compliance.models.accounts import Role, User
from compliance.models.organizations import Establishment, Organization
from compliance.models.people import Employee
from compliance.models.registry import Candidate, CandidateStatus
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.registry import statistics
from compliance.services.registry.counts import candidates_by_category, employed_by_category


def decrypting(session: Session, actor: User) -> tuple[Counter[Any], Counter[Any]]:
    """The statistics' counting before the counts were kept: every row decrypted."""
    readiness: Counter[Any] = Counter()
    active = select(Candidate.disability_categories, Candidate.availability).where(
        Candidate.status == CandidateStatus.ACTIVE
    )
    for categories, availability in session.execute(active):
        for category in categories or ():
            readiness[(category, availability)] += 1
    query = (
        select(Employee.disability_categories, Organization.sector)
        .join(Establishment, Establishment.id == Employee.establishment_id)
        .join(Organization, Organization.id == Employee.organization_id)
        .where(Employee.has_active_consent, Employee.end_date.is_(None))
    )
    if actor.role is not Role.ADMIN:
        query = query.where(Establishment.regency_code.in_(sorted(actor.reach().regency_codes)))
    employed: Counter[Any] = Counter()
    for categories, sector in session.execute(query):
        for category in categories or ():
            employed[(category, sector)] += 1
    return readiness, employed


def kept(session: Session, actor: User) -> tuple[Counter[Any], Counter[Any]]:
    return candidates_by_category(session, actor), employed_by_category(session, actor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = bench_app()
    with app.app_context():
        candidates = db.session.execute(
            text("SELECT count(*) FROM candidates WHERE status = 'active'")
        ).scalar()
    print(f"{candidates:,} active candidates (ms, median of {args.repeat})")
    emails = {"admin (national)": ADMIN}
    emails.update({f"officer of {name}": _officer(app, r) for r, name in CITIES.items()})
    print(f"  {'who':<28} {'before':>8} {'after':>8}  same numbers")
    for label, email in emails.items():
        with app.app_context():
            session = db.session()
            with reach_scope(session, Reach.for_everything()):
                actor = session.scalar(select(User).where(User.email == email))
            assert actor is not None
            with reach_scope(session, actor.reach()):
                before, _ = _ms(args.repeat, lambda: decrypting(session, actor))  # noqa: B023
                after, _ = _ms(args.repeat, lambda: kept(session, actor))  # noqa: B023
                same = decrypting(session, actor) == kept(session, actor)
            print(f"  {label:<28} {before:8.1f} {after:8.1f}  {'yes' if same else 'NO'}")

    counter = Statements(app)
    print("the page /registry/statistics, whole request: before (decrypting), after (kept)")
    print(f"  {'page':<60} {'median':>8} {'slowest':>8} {'SQL':>4} {'SQL ms':>7}")
    for label, email in emails.items():
        client = _login(app, email)
        for way, counts in (("before", _decrypting_service()), ("after", _kept_service())):
            print(f"  {label}, {way}")
            with patch.multiple(statistics, **counts):
                _page(app, client, "/registry/statistics", counter, args.repeat, 0.0)


def _decrypting_service() -> dict[str, Any]:
    """The page's two counts swapped for the old way, to time the old page in this run."""
    return {
        "candidates_by_category": lambda session, actor: decrypting(session, actor)[0],
        "employed_by_category": lambda session, actor: decrypting(session, actor)[1],
    }


def _kept_service() -> dict[str, Any]:
    return {
        "candidates_by_category": candidates_by_category,
        "employed_by_category": employed_by_category,
    }


if __name__ == "__main__":
    main()
