"""The rest of the national fill: staff accounts, the ULD registry, declarations and cases.

Why beside `_national_fill`: these rows hang off the organisations and rosters it wrote (ids
known from its `Plan`), and a page on national data needs them: an inspector's ranking reads
declarations and reviews, an officer's statistics read candidates.

- an admin; inspectors per province (more in the populous Java provinces), each with a NIP;
- 200 ULDs: one per province and 162 of regencies/cities, cities first (Kota Bandung and Kota
  Surabaya among them), two officers each, who reach the ULD's regencies;
- 50,000 candidates, more where a ULD of a city registers them, their identity and disability
  fields encrypted by the model's own column types, with skills and a consent (some draft,
  some withdrawn; a consent shares the category in three cases of five);
- two years of declarations: about 72 % of organisations filed the year before last (a few
  late, some corrected), 12 % filed last year by early January; each declaration's results
  come from the quota engine for that organisation's workforce and roster, memoised per
  distinct workforce. The months of each result keep their numbers but not their explanation
  lines (the pages read neither; a real filing's ~170 KB of lines would make the fill measure
  COPY of JSON, 7 GB of it at 50,000 organisations);
- reviews of 45 % of last filings (accepted, correction requested, or a finding), and for each
  finding a case at nota pemeriksaan I or II with its timeline.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import _national_summaries as summaries
from _national_fill import CREATED, LAST_YEAR, NOW, SECTORS, Plan, _shares, _types
from sqlalchemy import select

from compliance.extensions import db
from compliance.models.organizations import Sector
from compliance.models.regions import Province, Regency
from compliance.models.types import EncryptedList, EncryptedText
from compliance.quota import DisabledEmployee, Period, Snapshot, default_registry, evaluate_period
from compliance.services.declarations.periods import due_date
from compliance.services.receipt_numbers import format_number
from compliance.services.registry.vocabulary import ACCOMMODATIONS, SKILLS, category_mask
from compliance.services.workforce import employment_types_for

CANDIDATES = 50_000
ULDS = 200
OFFICERS_PER_ULD = 2
#: Inspectors per province where two are not enough.
INSPECTORS = {"32": 8, "35": 6, "33": 6, "31": 4, "36": 3}
FILED_BEFORE_LAST = 0.72
FILED_LAST = 0.12
REVIEWED = 0.45
CATEGORIES = ("physical", "sensory", "intellectual", "mental")
LEVELS = ("primary", "junior", "senior", "senior", "diploma", "bachelor")
KEEP = ("as_of", "status", "denominator", "required", "counted", "gap", "region")


class Staff:
    """Who was made, for the later steps: inspectors by province, officers by ULD."""

    def __init__(self) -> None:
        self.next_id = 0  # set once the HR managers are written (their ids are their orgs')
        self.inspectors: dict[str, list[int]] = {}
        self.uld_regencies: list[str] = []  # regencies/cities that have a ULD of their own
        self.officers: dict[str, int] = {}  # regency -> an officer who registers there


def steps(cur: Any, plan: Plan, password: str) -> list[tuple[str, Callable[[], object]]]:
    """The steps `_national_fill.fill` runs after the workforce, in order."""
    regencies = dict(db.session.execute(select(Regency.code, Regency.name)).tuples().all())
    provinces = dict(db.session.execute(select(Province.code, Province.name)).tuples().all())
    staff = Staff()
    return [
        ("users (admin, inspectors)", lambda: _inspectors(cur, plan, regencies, staff, password)),
        ("ulds+officers", lambda: _ulds(cur, regencies, staff, password)),
        ("candidates+skills+consents", lambda: _candidates(cur, regencies, staff)),
        ("periods+declarations", lambda: _declarations(cur, plan, provinces)),
        ("reviews+cases+case_events", lambda: _reviews(cur, plan, staff)),
        ("compliance_summaries+months+totals", lambda: summaries.write(cur, plan)),
    ]


def _user(copy: Any, staff: Staff, email: str, name: str, role: str, password: str) -> int:
    user_id = staff.next_id
    staff.next_id += 1
    nip = f"1980010120050{user_id % 100_000:05d}" if role != "admin" else None
    copy.write_row(
        (user_id, email, name, password, role, None, f"bench-{user_id}", True, nip, CREATED)
    )
    return user_id


USER_COLUMNS = (
    "COPY users (id, email, name, password_hash, role, organization_id, session_token, "
    "is_active, nip, created_at) FROM STDIN"
)


def _inspectors(
    cur: Any, plan: Plan, regencies: dict[str, str], staff: Staff, password: str
) -> int:
    staff.next_id = len(plan.workers) + 1
    provinces = sorted({code[:2] for code in regencies})
    with cur.copy(USER_COLUMNS) as copy:
        _user(copy, staff, "admin@bench.example", "Admin Nasional", "admin", password)
        links = []
        for code in provinces:
            for n in range(1, INSPECTORS.get(code, 2) + 1):
                email = f"pengawas-{code}-{n}@bench.example"
                user_id = _user(copy, staff, email, f"Pengawas {code}-{n}", "inspector", password)
                staff.inspectors.setdefault(code, []).append(user_id)
                links.append((user_id, code))
    with cur.copy("COPY inspector_provinces (user_id, province_code) FROM STDIN") as copy:
        for link in links:
            copy.write_row(link)
    return 1 + len(links)


def _ulds(cur: Any, regencies: dict[str, str], staff: Staff, password: str) -> int:
    provinces = sorted({code[:2] for code in regencies})
    cities = [c for c in sorted(regencies) if regencies[c].startswith("Kota ")]
    others = [c for c in sorted(regencies) if not regencies[c].startswith("Kota ")]
    staff.uld_regencies = (cities + others)[: ULDS - len(provinces)]
    ulds = [(p, None) for p in provinces] + [(c[:2], c) for c in staff.uld_regencies]
    with cur.copy(
        "COPY ulds (id, name, province_code, regency_code, email, created_at) FROM STDIN"
    ) as copy:
        for uld_id, (province, regency) in enumerate(ulds, start=1):
            where = regencies[regency] if regency else f"Provinsi {province}"
            email = f"uld{uld_id}@bench.example"
            copy.write_row(
                (uld_id, f"ULD Ketenagakerjaan {where}", province, regency, email, CREATED)
            )
    officers, reach = [], []
    with cur.copy(USER_COLUMNS) as copy:
        for uld_id, (province, regency) in enumerate(ulds, start=1):
            covered = [regency] if regency else [c for c in regencies if c[:2] == province]
            for n in range(1, OFFICERS_PER_ULD + 1):
                email = f"petugas-uld{uld_id}-{n}@bench.example"
                user_id = _user(
                    copy, staff, email, f"Petugas ULD {uld_id}-{n}", "registry_officer", password
                )
                officers.append((user_id, uld_id))
                reach += [(user_id, code) for code in covered]
                for code in covered:  # a city's own ULD registers its people
                    if regency or code not in staff.officers:
                        staff.officers[code] = user_id
    with cur.copy("COPY uld_officers (user_id, uld_id) FROM STDIN") as copy:
        for row in officers:
            copy.write_row(row)
    with cur.copy("COPY officer_regencies (user_id, regency_code) FROM STDIN") as copy:
        for row in reach:
            copy.write_row(row)
    return len(ulds) + len(officers)


def _candidates(cur: Any, regencies: dict[str, str], staff: Staff) -> int:
    """Candidates as `services.registry.candidates` stores them: identity and disability
    encrypted (each value its own token), plain matching columns, a consent per person."""
    rng = random.Random(3)
    own = set(staff.uld_regencies)
    codes = sorted(regencies)
    chosen = rng.choices(codes, weights=[6 if c in own else 1 for c in codes], k=CANDIDATES)
    categories = [[CATEGORIES[i % 4]] if i % 9 else [CATEGORIES[i % 4], "sensory"]
                  for i in range(CANDIDATES)]  # fmt: skip
    needs_plain = ([], ["screen_reader"], ["step_free_access"], ["flexible_hours", "quiet_space"])
    names = EncryptedText().bind_many([f"Calon Pekerja {i}" for i in range(1, CANDIDATES + 1)])
    phones = EncryptedText().bind_many([f"0812{i:08d}" for i in range(1, CANDIDATES + 1)])
    sealed_categories = EncryptedList().bind_many(categories)
    needs = EncryptedList().bind_many([needs_plain[i % 4] for i in range(CANDIDATES)])
    skills, consents = [], []
    with cur.copy(
        "COPY candidates (id, regency_code, province_code, status, name, phone, "
        "disability_categories, accommodation_needs, education, hours, availability, "
        "is_willing_to_relocate, category_mask, created_by_id, withdrawn_at, delete_after, "
        "created_at, updated_at) FROM STDIN"
    ) as copy:
        for i in range(CANDIDATES):
            cid, regency = i + 1, chosen[i]
            status = "withdrawn" if i % 33 == 5 else "draft" if i % 50 == 7 else "active"
            shares = i % 5 < 3
            withdrawn = NOW - timedelta(days=3) if status == "withdrawn" else None
            created = CREATED + timedelta(days=i % 390)
            copy.write_row((
                cid, regency, regency[:2], status, names[i], phones[i], sealed_categories[i],
                needs[i], rng.choice(LEVELS), rng.choice(("full_time", "part_time", "either")),
                rng.choice(("available", "available", "in_training", "not_available")),
                rng.random() < 0.1, category_mask(categories[i]) if shares else 0,
                staff.officers.get(regency), withdrawn,
                withdrawn + timedelta(days=30) if withdrawn else None, created, created,
            ))  # fmt: skip
            skills += [(cid, code) for code in rng.sample(list(SKILLS), rng.randint(1, 4))]
            if status != "draft":
                consents.append((
                    cid, cid, regency, "candidate" if i % 7 else "guardian", "written", created,
                    "1", shares, True, staff.officers.get(regency), withdrawn, created,
                ))  # fmt: skip
    with cur.copy("COPY candidate_skills (candidate_id, skill_code) FROM STDIN") as copy:
        for row in skills:
            copy.write_row(row)
    with cur.copy(
        "COPY candidate_consents (id, candidate_id, regency_code, given_by, method, given_at, "
        "consent_text_version, may_share_category, may_share_accommodation, recorded_by_id, "
        "withdrawn_at, created_at) FROM STDIN"
    ) as copy:
        for row in consents:
            copy.write_row(row)
    assert ACCOMMODATIONS  # the needs above are codes of this vocabulary
    return CANDIDATES + len(skills) + len(consents)


@cache
def _result(year: int, sector: str, main: int, second: int, counted: int) -> dict[str, Any]:
    """The engine's period result for a year of one unchanging workforce, months without their
    explanation lines (see the module docstring); memoised: most organisations repeat a size."""
    kinds = [k.value for k in employment_types_for(Sector(sector))]
    main_kind, second_kind = _types(SECTORS.index(sector))
    headcount = {kind: 0 for kind in kinds} | {main_kind: main, second_kind: second}
    person = DisabledEmployee(
        categories=frozenset({"physical"}), evidence="kpd", employment_type=main_kind,
        is_verified=True,
    )  # fmt: skip
    snapshots = tuple(
        Snapshot(
            as_of=date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1),
            sector=sector,
            headcount=headcount,
            disabled_employees=(person,) * counted,
        )
        for m in range(1, 13)
    )
    data = evaluate_period(Period(snapshots, label=str(year)), today=NOW.date()).to_dict()
    data["months"] = [{k: month[k] for k in KEEP} for month in data["months"]]
    return data


def _staff_of(plan: Plan) -> dict[int, list[tuple[int, int, int]]]:
    """Per organisation: (establishment, workers, employees still on its roster there)."""
    employed: dict[int, int] = {}
    for people in plan.counted.values():
        for _employee, est in people:
            employed[est] = employed.get(est, 0) + 1
    found: dict[int, list[tuple[int, int, int]]] = {}
    for est, org, workers in _shares(plan):
        found.setdefault(org, []).append((est, workers, employed.get(est, 0)))
    return found


def _data(year: int, org: int, parts: list[tuple[int, int, int]], plan: Plan,
          provinces: dict[str, str], establishments: dict[int, str],
          ) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """The JSON `Computation.to_data` stores, for the organisation's workforce in `year`, and
    the entity's result in it."""
    sector = SECTORS[org % 100]

    def result(workers: int, counted: int) -> dict[str, Any]:
        return _result(year, sector, workers - workers // 3, workers // 3, counted)

    whole = result(sum(w for _e, w, _c in parts), sum(c for _e, _w, c in parts))
    breakdown = [
        {"id": est, "name": "Kantor pusat" if n == 0 else "Cabang",
         "regency_code": establishments[est], "result": result(workers, counted)}
        for n, (est, workers, counted) in enumerate(parts)
    ]  # fmt: skip
    by_province: dict[str, list[tuple[int, int, int]]] = {}
    for part in parts:
        by_province.setdefault(establishments[part[0]][:2], []).append(part)
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    refs = [str(employee) for employee, _est in plan.counted.get(org, [])]
    pack = default_registry().get(whole["pack_id"])
    return json.dumps({
        "format": 1,
        "months": months,
        "entity": whole,
        "establishments": breakdown,
        "provinces": [
            {"code": code, "name": provinces[code],
             "result": result(sum(p[1] for p in ps), sum(p[2] for p in ps))}
            for code, ps in sorted(by_province.items())
        ],
        "overlays": [],
        "packs": [{"id": pack.id, "effective_from": pack.effective_from.isoformat(),
                   "verified_on": pack.verified_on.isoformat()}],
        "missing": [],
        "counted_refs": {month: refs for month in months},
    }), whole  # fmt: skip


def _declarations(cur: Any, plan: Plan, provinces: dict[str, str]) -> str:
    rng = random.Random(4)
    establishments = {est: regency for est, _org, regency in plan.establishments}
    staff_of = _staff_of(plan)
    periods = declarations = 0
    with cur.copy(
        "COPY reporting_periods (id, organization_id, label, starts_on, ends_on, due_on, "
        "created_at) FROM STDIN"
    ) as period_copy:
        rows = []
        for org in range(1, len(plan.workers) + 1):
            for year, share in ((LAST_YEAR - 1, FILED_BEFORE_LAST), (LAST_YEAR, FILED_LAST)):
                if rng.random() >= share:
                    continue
                periods += 1
                due = due_date(year, 1)
                period_copy.write_row((periods, org, str(year), date(year, 1, 1),
                                       date(year, 12, 1), due, CREATED))  # fmt: skip
                rows.append((org, year, periods, due))
    seq: dict[tuple[int, int], int] = {}
    with cur.copy(
        "COPY declarations (id, organization_id, period_id, number, status, corrects_id, "
        "correction_reason, data, input_sha256, computed_at, created_by_id, submitted_at, "
        "submitted_by_id, receipt_number, receipt_year, receipt_seq, updated_at, revision, "
        "created_at) FROM STDIN"
    ) as copy:
        for org, year, period_id, due in rows:
            data, entity = _data(year, org, staff_of[org], plan, provinces, establishments)
            if year == LAST_YEAR:  # early filers of last year, in the first day of January
                submitted = datetime(year + 1, 1, 1, 2) + timedelta(minutes=org % 1300)
            else:  # mostly in January, one in ten after the due date
                submitted = datetime(year + 1, 1, 3) + timedelta(hours=org % 700 + (
                    720 if rng.random() < 0.1 else 0))  # fmt: skip
            versions = 2 if year < LAST_YEAR and rng.random() < 0.06 else 1
            corrects = None
            for number in range(1, versions + 1):
                declarations += 1
                at = submitted + timedelta(days=45 * (number - 1))
                key = (org, at.year)
                seq[key] = seq.get(key, 0) + 1
                copy.write_row((
                    declarations, org, period_id, number, "submitted", corrects,
                    "Koreksi angka pekerja" if corrects else None, data, f"{declarations:064x}",
                    at, org, at, org, format_number(at.year, org, seq[key]), at.year, seq[key],
                    at, 1, at,
                ))  # fmt: skip
                corrects = declarations
            plan.filed.append((org, year, declarations, submitted, due))
            if year == LAST_YEAR - 1:  # the period the inspectors' ranking is about
                plan.declared[org] = (declarations, entity)
    return f"{periods}+{declarations}"


def _reviews(cur: Any, plan: Plan, staff: Staff) -> str:
    """Reviews of the last filings; every finding opens a case (nota I, a third at nota II)."""
    rng = random.Random(5)
    heads = {org: regency for _est, org, regency in reversed(plan.establishments)}
    reviews, cases, events = [], [], []
    for org, year, declaration_id, submitted, _due in plan.filed:
        if year != LAST_YEAR - 1 or rng.random() >= REVIEWED:
            continue
        inspectors = staff.inspectors[heads[org][:2]]
        reviewer = inspectors[org % len(inspectors)]
        at = submitted + timedelta(days=20 + org % 40)
        roll = rng.random()
        outcome = "accepted" if roll < 0.8 else "correction_requested" if roll < 0.92 else "finding"
        note = None if outcome == "accepted" else "Angka pekerja penyandang disabilitas kurang."
        reviews.append((len(reviews) + 1, org, declaration_id, outcome, note, reviewer, at))
        plan.reviewed[declaration_id] = outcome
        if outcome != "finding":
            continue
        case_id = len(cases) + 1
        second = case_id % 3 == 0
        deadline = (at + timedelta(days=60 if second else 30)).date()
        cases.append((case_id, org, declaration_id, note, "nota_2" if second else "nota_1",
                      deadline, reviewer, at))  # fmt: skip
        label = f"Pengawas {heads[org][:2]} (NIP 1980010120050{reviewer % 100_000:05d})"
        first_deadline = (at + timedelta(days=30)).date()
        events.append((len(events) + 1, case_id, org, "opened", note, first_deadline,
                       reviewer, label, at))  # fmt: skip
        if second:
            events.append((len(events) + 1, case_id, org, "nota_2", "Nota pemeriksaan II",
                           deadline, reviewer, label, at + timedelta(days=31)))  # fmt: skip
    for table, columns, rows in (
        ("declaration_reviews",
         "id, organization_id, declaration_id, outcome, message, reviewer_id, created_at",
         reviews),
        ("inspection_cases",
         "id, organization_id, declaration_id, finding, stage, deadline_on, opened_by_id, "
         "created_at", cases),
        ("inspection_case_events",
         "id, case_id, organization_id, kind, note, deadline_on, actor_id, actor_label, "
         "created_at", events),
    ):  # fmt: skip
        with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return f"{len(reviews)}+{len(cases)}+{len(events)}"
