"""Explainable matching of registry candidates to a referral request.

Two steps, exact and fast at 100,000 candidates (bench/matching.py). SQL finds every active,
available candidate the officer may see whose region, hours, education and skills could fit,
from plain indexed columns and `candidate_skills`, and counts there every point of the score
but one: accommodation, whose needs are encrypted. Python then decrypts and scores candidates
in that order, best first, only while one could still enter the top (`rank`), so the result
is the top of scoring everyone. Every point of a score comes with the reason that earned it,
so the officer sees why a candidate ranks where they do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Exists, and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from compliance.models.referrals import Referral, ReferralRequest, ReferralStatus
from compliance.models.regions import Regency
from compliance.models.registry import (
    Availability,
    Candidate,
    CandidateLocation,
    CandidateSkill,
    CandidateStatus,
    CandidateTraining,
    EducationLevel,
    Hours,
)
from compliance.services.registry.requests import establishment_of

#: Points per criterion; the maximum of each is what a perfect fit earns.
SKILL_POINTS = 40
SAME_REGENCY, PREFERRED, SAME_PROVINCE, RELOCATE = 20, 18, 12, 6
HOURS_POINTS = 10
ACCOMMODATION_POINTS = 15
EDUCATION_POINTS = 10
TRAINING_POINTS, TRAINING_MAX = 5, 10
_FIXED_REASONS = {
    "same_regency": _l("Lives in the same regency or city"),
    "preferred": _l("Wants to work in this regency or city"),
    "same_province": _l("Lives in the same province"),
    "relocate": _l("Willing to move for work"),
    "hours": _l("Working hours fit"),
    "no_needs": _l("Needs no accommodation the workplace lacks"),
    "education": _l("Meets the education needed"),
}
#: Candidates decrypted and scored first, best SQL points first, then at most per round trip
#: (see `best_of`).
SCORE_BATCH, MAX_BATCH = 100, 1000


@dataclass(frozen=True)
class Reason:
    """Points earned and why. Worded on demand: scoring thousands of rows must not translate
    thousands of sentences when the page shows twenty."""

    points: int
    code: str
    values: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        v = self.values
        if self.code == "skills":
            return _("%(have)d of %(want)d requested skills", have=v[0], want=v[1])
        if self.code == "accommodation":
            return _("%(met)d of %(needs)d accommodation needs offered", met=v[0], needs=v[1])
        if self.code == "trainings":
            return _("%(count)d training(s) in a requested skill", count=v[0])
        return str(_FIXED_REASONS[self.code])


@dataclass(frozen=True)
class Match:
    candidate_id: int
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Row:
    """What scoring needs of one candidate: plain columns plus the accommodation needs."""

    id: int
    regency_code: str
    province_code: str
    education: EducationLevel
    hours: Hours
    is_willing_to_relocate: bool
    accommodation_needs: list[str] | None


@dataclass(frozen=True)
class Vacancy:
    regency_code: str
    province_code: str
    hours: Hours
    min_education: EducationLevel
    skill_codes: frozenset[str]
    accommodations: frozenset[str]


def vacancy_of(session: Session, request: ReferralRequest) -> Vacancy:
    establishment = establishment_of(session, request)
    regency = session.get(Regency, establishment.regency_code)
    assert regency is not None
    return Vacancy(
        regency.code,
        regency.province_code,
        request.hours,
        request.min_education,
        frozenset(request.skill_codes),
        frozenset(request.accommodations_offered),
    )


def hired_anywhere(candidate_id: Any) -> Exists:
    """A hire through any ULD's referral. The Core table on purpose: the officer's scope would
    hide referrals routed to other ULDs, and a candidate hired there is not available here."""
    table = Referral.__table__.c
    return exists().where(
        table.candidate_id == candidate_id, table.status == ReferralStatus.HIRED.value
    )


def _hours_fit(vacancy: Hours) -> list[Hours]:
    return list(Hours) if vacancy is Hours.EITHER else [vacancy, Hours.EITHER]


def skill_points(have: int, want: int) -> int:
    return round(SKILL_POINTS * have / want)


def training_points(relevant: int) -> int:
    return min(TRAINING_MAX, TRAINING_POINTS * relevant)


def _points_by_count(count: Any, points: list[int]) -> Any:
    """`points[count]` in SQL, the last value for any larger count: Python works each value out,
    so SQL and `score` cannot round differently."""
    whens = [(count == n, p) for n, p in enumerate(points[:-1])]
    return case(*whens, else_=points[-1]) if whens else literal(points[-1])


def prefilter(
    session: Session, vacancy: Vacancy, exclude_request_id: int | None = None
) -> list[tuple[int, int]]:
    """The SQL step: every candidate who could fit, as (id, points), best first and ties by id.

    Plain, indexed, non-identifying columns only. The points are exactly what `score` gives
    but for accommodation, the one encrypted term: skills, place, hours, education, trainings.
    """
    c, wanted = Candidate, CandidateLocation
    codes = sorted(vacancy.skill_codes)
    levels = [e for e in EducationLevel if e.rank >= vacancy.min_education.rank]
    place = case(
        (c.regency_code == vacancy.regency_code, SAME_REGENCY),
        (wanted.candidate_id.is_not(None), PREFERRED),
        (c.province_code == vacancy.province_code, SAME_PROVINCE),
        else_=RELOCATE,
    )
    points = place + HOURS_POINTS + EDUCATION_POINTS
    query = select(c.id).outerjoin(
        wanted, and_(wanted.candidate_id == c.id, wanted.regency_code == vacancy.regency_code)
    )
    if codes:
        # One row per requested skill a candidate has (none: no row), counted per candidate
        # after the join: cheaper than counting everyone's skills first.
        query = query.join(
            CandidateSkill,
            and_(CandidateSkill.candidate_id == c.id, CandidateSkill.skill_code.in_(codes)),
        )
        courses = (
            select(CandidateTraining.candidate_id, func.count().label("relevant"))
            .where(CandidateTraining.skill_code.in_(codes))
            .group_by(CandidateTraining.candidate_id)
            .subquery()
        )
        query = query.outerjoin(courses, courses.c.candidate_id == c.id).group_by(
            c.id, wanted.candidate_id
        )
        most = -(-TRAINING_MAX // TRAINING_POINTS)  # trainings that earn the maximum
        have = [skill_points(n, len(codes)) for n in range(len(codes) + 1)]
        relevant = [training_points(n) for n in range(most + 1)]
        points = (
            points
            + _points_by_count(func.count(), have)
            + _points_by_count(func.coalesce(func.min(courses.c.relevant), 0), relevant)
        )
    query = query.where(
        c.status == CandidateStatus.ACTIVE,
        c.availability != Availability.NOT_AVAILABLE,
        c.hours.in_(_hours_fit(vacancy.hours)),
        c.education.in_(levels),
        or_(
            c.province_code == vacancy.province_code,
            c.is_willing_to_relocate.is_(True),
            wanted.candidate_id.is_not(None),
        ),
        ~hired_anywhere(c.id),
    )
    if exclude_request_id is not None:
        query = query.where(
            ~exists().where(
                Referral.candidate_id == c.id, Referral.request_id == exclude_request_id
            )
        )
    query = query.add_columns(points.label("points")).order_by(points.desc(), c.id)
    return [(row.id, row.points) for row in session.execute(query)]


def _related(session: Session, ids: list[int]) -> dict[str, dict[int, list[Any]]]:
    """Skills, preferred places and trainings' skills ("skills", "places", "courses") by
    candidate for ids the (scoped) prefilter returned, in one round trip. Core on the
    session's connection: these rows belong to candidates already in reach, and the ORM's
    per-statement work would cost more than the query."""
    tables = {
        "skills": (CandidateSkill.candidate_id, CandidateSkill.skill_code),
        "places": (CandidateLocation.candidate_id, CandidateLocation.regency_code),
        "courses": (CandidateTraining.candidate_id, CandidateTraining.skill_code),
    }
    found: dict[str, dict[int, list[Any]]] = {kind: defaultdict(list) for kind in tables}
    connection = session.connection()
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        query = union_all(
            *(
                select(literal(kind), key, value).where(key.in_(part))
                for kind, (key, value) in tables.items()
            )
        )
        for kind, candidate_id, item in connection.execute(query):
            found[kind][candidate_id].append(item)
    return found


def score(
    row: Row, vacancy: Vacancy, skills: set[str], preferred: set[str], trainings: list[str | None]
) -> Match:
    """The Python step: every point with its reason (worded only when shown, see `Reason`)."""
    reasons: list[Reason] = []
    if vacancy.skill_codes:
        have, want = len(skills & vacancy.skill_codes), len(vacancy.skill_codes)
        reasons.append(Reason(skill_points(have, want), "skills", (have, want)))
    if row.regency_code == vacancy.regency_code:
        reasons.append(Reason(SAME_REGENCY, "same_regency"))
    elif vacancy.regency_code in preferred:
        reasons.append(Reason(PREFERRED, "preferred"))
    elif row.province_code == vacancy.province_code:
        reasons.append(Reason(SAME_PROVINCE, "same_province"))
    else:
        reasons.append(Reason(RELOCATE, "relocate"))
    reasons.append(Reason(HOURS_POINTS, "hours"))
    needs = set(row.accommodation_needs or ())
    if needs:
        met = len(needs & vacancy.accommodations)
        points = round(ACCOMMODATION_POINTS * met / len(needs))
        reasons.append(Reason(points, "accommodation", (met, len(needs))))
    else:
        reasons.append(Reason(ACCOMMODATION_POINTS, "no_needs"))
    reasons.append(Reason(EDUCATION_POINTS, "education"))
    relevant = sum(1 for t in trainings if t is not None and t in vacancy.skill_codes)
    if relevant:
        reasons.append(Reason(training_points(relevant), "trainings", (relevant,)))
    return Match(row.id, sum(r.points for r in reasons), tuple(reasons))


def score_rows(session: Session, rows: list[Row], vacancy: Vacancy) -> list[Match]:
    """`score` for each row, with the skills, places and trainings it needs read in bulk."""
    ids = [row.id for row in rows]
    related = _related(session, ids)
    skills, places, courses = related["skills"], related["places"], related["courses"]
    return [
        score(row, vacancy, set(skills[row.id]), set(places[row.id]), courses[row.id])
        for row in rows
    ]


def rank(session: Session, rows: list[Row], vacancy: Vacancy, limit: int) -> list[Match]:
    matches = score_rows(session, rows, vacancy)
    matches.sort(key=_order)
    return matches[:limit]


def _order(match: Match) -> tuple[int, int]:
    return -match.score, match.candidate_id


def _rows(session: Session, ids: list[int]) -> list[Row]:
    """What `score` needs of these candidates, decrypting their accommodation needs."""
    c = Candidate
    query = select(
        c.id, c.regency_code, c.province_code, c.education, c.hours, c.is_willing_to_relocate,
        c.accommodation_needs,
    ).where(c.id.in_(ids))  # fmt: skip
    return [Row(*values) for values in session.execute(query)]


def best_of(
    session: Session, ranked: list[tuple[int, int]], vacancy: Vacancy, limit: int
) -> list[Match]:
    """The best `limit` of `ranked` (the prefilter's (id, points), best first), by score then id.

    Candidates are decrypted and scored a batch at a time, and only while one could still
    enter the best `limit`: a candidate scores at most its SQL points plus full accommodation
    points, so once that falls below the current last place's score, no later candidate can
    reach it, not even to tie. So the result is that of scoring everyone, ties included.
    """
    best: list[Match] = []
    start = 0
    while start < len(ranked) and limit > 0:
        if len(best) < limit:
            end = min(start + SCORE_BATCH, len(ranked))
        else:
            # Then every candidate who could still enter, at once: a round trip costs more
            # than scoring a few candidates too many.
            floor = best[-1].score - ACCOMMODATION_POINTS
            end = start
            while end < len(ranked) and ranked[end][1] >= floor and end - start < MAX_BATCH:
                end += 1
            if end == start:
                break
        ids = [candidate_id for candidate_id, _points in ranked[start:end]]
        best.extend(score_rows(session, _rows(session, ids), vacancy))
        best.sort(key=_order)
        del best[limit:]
        start = end
    return best


def suggest(session: Session, request: ReferralRequest, limit: int = 20) -> list[Match]:
    """The best `limit` candidates for `request` among those the session's reach may see."""
    vacancy = vacancy_of(session, request)
    return best_of(session, prefilter(session, vacancy, request.id), vacancy, limit)
