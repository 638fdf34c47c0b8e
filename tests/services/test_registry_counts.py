"""The kept counts by category equal a count by decrypting every row, through every kind of change.

The oracle below is how the statistics counted before the counts were kept: decrypt each active
candidate and each current, consenting employee, and count in Python.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import delete, select, text

from compliance.clock import utcnow
from compliance.models import Employee, Establishment, Organization, Role, User
from compliance.models.counts import CANDIDATES, CategoryCount, add_difference
from compliance.models.imports import ImportKind, ImportStatus
from compliance.models.organizations import Sector
from compliance.models.registry import Candidate, CandidateStatus
from compliance.models.tenancy import reach_scope
from compliance.services.consent import withdraw_consent
from compliance.services.imports import confirm_import, run_import, start_import, validate_import
from compliance.services.keys import rotate_data_keys
from compliance.services.registry.candidate_import import import_candidates
from compliance.services.registry.candidates import save_candidate
from compliance.services.registry.consent import (
    purge_withdrawn_candidates,
    withdraw_candidate_consent,
)
from compliance.services.registry.counts import (
    candidates_by_category,
    employed_by_category,
    rebuild_counts,
)
from compliance.services.roster import get_employee
from tests.registry.support import candidate_input, make_candidate, make_officer
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_row
from tests.support.roster import make_employee

REGENCIES = ("36.71", "36.03", "35.78")


def _decrypted(session, regencies: tuple[str, ...] | None) -> tuple[Counter, Counter]:
    """Candidates by (category, availability) and employees by (category, sector), in
    `regencies` (None: everywhere), decrypted one by one as the page used to."""
    candidates: Counter = Counter()
    for c in session.scalars(select(Candidate).where(Candidate.status == CandidateStatus.ACTIVE)):
        if regencies is None or c.regency_code in regencies:
            for category in c.disability_categories or ():
                candidates[(category, c.availability)] += 1
    employed: Counter = Counter()
    rows = session.execute(
        select(Employee, Establishment.regency_code, Organization.sector)
        .join(Establishment, Establishment.id == Employee.establishment_id)
        .join(Organization, Organization.id == Employee.organization_id)
    )
    for employee, regency, sector in rows:
        counted = employee.end_date is None and employee.has_active_consent
        if counted and (regencies is None or regency in regencies):
            for category in employee.disability_categories or ():
                employed[(category, sector)] += 1
    return candidates, employed


def _agree(factory, admin, officers) -> Counter:
    """Kept counts equal decrypted ones for the admin and each officer; the admin's counts."""
    with factory.session() as session:
        session.expire_all()
        for user, regencies in ((admin, None), *officers):
            actor = session.get(User, user.id)
            kept = (candidates_by_category(session, actor), employed_by_category(session, actor))
            assert kept == _decrypted(session, regencies), regencies
        assert rebuild_counts(session) == 0  # and a recount from scratch finds nothing to mend
        return candidates_by_category(session, session.get(User, admin.id))


def test_candidate_counts_follow_every_change(app, factory):
    admin = factory.user(Role.ADMIN)
    banten = make_officer(factory, REGENCIES[:2])
    surabaya = make_officer(factory, REGENCIES[2:])
    officers = ((banten, REGENCIES[:2]), (surabaya, REGENCIES[2:]))
    spread = [
        (banten, "36.71", ["sensory"], "available"),
        (banten, "36.71", ["physical", "mental"], "in_training"),
        (banten, "36.03", ["intellectual"], "available"),
        (banten, "36.03", ["multiple", "sensory"], "not_available"),
        (surabaya, "35.78", ["physical"], "available"),
        (surabaya, "35.78", ["mental"], "available"),
    ]
    ids = [
        make_candidate(factory, officer, regency=r, categories=cats, availability=a)
        for officer, r, cats, a in spread
    ]
    draft = make_candidate(factory, banten, consent=False, categories=["physical"])
    counts = _agree(factory, admin, officers)
    assert sum(counts.values()) == 8  # drafts are not counted

    with factory.session() as session:  # an update: other categories, readiness and regency
        actor = session.get(User, banten.id)
        data = candidate_input("36.03", categories=["intellectual"], availability="not_available")
        save_candidate(session, actor, data, ids[1])
        save_candidate(session, actor, candidate_input("36.71", name="Nama baru"), ids[0])
    _agree(factory, admin, officers)

    with factory.session() as session:  # a withdrawal, then the purge
        withdraw_candidate_consent(session, session.get(User, banten.id), ids[2])
    _agree(factory, admin, officers)
    with factory.session() as session:
        assert purge_withdrawn_candidates(session, utcnow() + timedelta(days=400)) == 1
    _agree(factory, admin, officers)

    with factory.session() as session:  # an import: active and draft rows
        content = (
            "name,phone,regency,categories,education,hours,availability,skills,"
            "consent_given_by,consent_method,consent_date,consent_text_version,share_category\n"
            "Rina,0812,36.71,sensory;physical,senior,full_time,available,admin,"
            "candidate,written,2025-01-02,2026-11,tidak\n"
            "Agus,0813,36.03,physical,diploma,either,in_training,accounting,,,,,\n"
        )
        report = import_candidates(session, session.get(User, banten.id), "k.csv", content.encode())
        assert report.is_clean
    counts = _agree(factory, admin, officers)
    assert sum(counts.values()) == 8 - 1 - 1 + 2
    with factory.session() as session:
        assert session.get(Candidate, draft).status is CandidateStatus.DRAFT


def test_employee_counts_follow_every_change(app, factory):
    admin = factory.user(Role.ADMIN)
    tangerang = make_officer(factory, ("36.71",))
    officers = ((tangerang, ("36.71",)),)
    company = factory.org(regency="36.71", other_regencies=("35.78",))
    office = factory.org(regency="36.71", sector="regional_government")
    ids = [make_employee(factory, company.id, number=f"E-{n}", details=True) for n in range(6)]
    make_employee(factory, company.id, number="C-1", consent=True)  # consent, no details
    make_employee(factory, office.id, number="O-1", details=True)
    _agree(factory, admin, officers)

    hr = factory.session
    with hr() as session:
        actor = session.scalar(select(User).where(User.email == company.hr_email))
        with reach_scope(session, actor.reach()):
            withdraw_consent(session, actor, ids[0])
            get_employee(session, actor, ids[1]).end_date = date(2026, 1, 31)
            session.flush()
            # An establishment moving city moves its employees' counts.
            moved = session.get(Establishment, company.establishment_ids[0])
            moved.regency_code = "35.78"
    _agree(factory, admin, officers)
    with hr() as session:
        session.get(Establishment, company.establishment_ids[0]).regency_code = "36.71"
        session.delete(session.get(Employee, ids[2]))
        session.get(Organization, office.id).sector = Sector.REGIONAL_SOE  # counted by sector
    _agree(factory, admin, officers)

    # A roster import (COPY and executemany, past the ORM): new rows, details given to an
    # employee who had none, other categories for one, an end date for another.
    establishment = company.establishment_ids[0]
    rows = [roster_row(f"N-{n}", establishment) for n in range(3)]
    rows.append(roster_row("C-1", establishment))
    recategorised = list(roster_row("E-4", establishment))
    recategorised[11] = "mental"
    ended = list(roster_row("E-3", establishment))
    ended[5] = "2026-02-28"
    rows += [tuple(recategorised), tuple(ended)]
    with hr() as session:
        actor = session.scalar(select(User).where(User.email == company.hr_email))
        with reach_scope(session, actor.reach()):
            job = start_import(
                session, actor, ImportKind.ROSTER, "r.csv", csv_bytes(ROSTER_HEADER, rows)
            )
            validate_import(session, job)
            assert job.status is ImportStatus.READY, job.errors
            confirm_import(session, actor, job.id)
            run_import(session, job)
            assert job.status is ImportStatus.DONE, job.errors
    _agree(factory, admin, officers)


def test_a_recount_mends_what_was_missed(app, factory):
    admin = factory.user(Role.ADMIN)
    officer = make_officer(factory, ("36.71",))
    make_candidate(factory, officer)
    org = factory.org(regency="36.71")
    make_employee(factory, org.id, details=True)
    with factory.session() as session:  # as if a writer had bypassed the upkeep
        add_difference(
            session.connection(), CANDIDATES, Counter({("36.71", "sensory", "available"): 3})
        )
        session.execute(delete(CategoryCount).where(CategoryCount.kind == "employed"))
        assert rebuild_counts(session) == 2  # the candidates' and the workers' regency
        actor = session.get(User, admin.id)
        assert sum(candidates_by_category(session, actor).values()) == 1
        assert sum(employed_by_category(session, actor).values()) == 2
        stored = session.execute(text("SELECT counts FROM category_counts")).scalars().all()
        assert all(value.startswith("v2:") for value in stored)  # encrypted at rest
        rotate_data_keys(session)  # and re-encrypted with the others
        assert session.execute(text("SELECT counts FROM category_counts")).scalars().all() != stored
        assert sum(candidates_by_category(session, actor).values()) == 1


def test_the_recount_command(app, factory):
    officer = make_officer(factory, ("36.71",))
    make_candidate(factory, officer)
    with factory.session() as session:
        session.execute(delete(CategoryCount))
    result = app.test_cli_runner().invoke(args=["registry", "recount"])
    assert result.exit_code == 0, result.output
    assert "corrected in 1 regencies" in result.output
    with factory.session() as session:
        admin = session.get(User, factory.user(Role.ADMIN).id)
        assert sum(candidates_by_category(session, admin).values()) == 1


def test_changes_are_added_as_rows_never_rewritten_and_the_recount_folds_them(app, factory):
    """A shared row rewritten by every change would make writers of one regency wait for one
    another until commit; each change adds a row instead, and the nightly recount folds them."""
    admin = factory.user(Role.ADMIN)
    officer = make_officer(factory, ("36.71",))
    for _ in range(3):
        make_candidate(factory, officer, regency="36.71", categories=["sensory"])

    def rows() -> list[tuple[int, str]]:
        with factory.session() as session:
            query = select(CategoryCount.id, CategoryCount.counts).where(
                CategoryCount.kind == CANDIDATES, CategoryCount.regency_code == "36.71"
            )
            return [tuple(row) for row in session.execute(query.order_by(CategoryCount.id))]

    added = rows()
    assert len(added) == 3  # one row per change, none rewritten
    with factory.session() as session:
        assert rebuild_counts(session) == 0
    folded = rows()
    assert len(folded) == 1
    with factory.session() as session:
        counts = candidates_by_category(session, session.get(User, admin.id))
    assert sum(counts.values()) == 3
