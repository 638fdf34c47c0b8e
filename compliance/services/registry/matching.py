"""Explainable matching of registry candidates to a referral request.

Two steps, so it stays fast at 100,000 candidates (bench/matching.py): SQL keeps only active,
available candidates the officer may see, whose region, hours, education and skills could fit,
using plain indexed columns and the `candidate_skills` table; Python then scores the few left,
reading only the one encrypted column it needs (accommodation needs). Every point of a score
comes with the reason that earned it, so the officer sees why a candidate ranks where they do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Exists, case, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

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
#: At most this many candidates leave SQL for scoring (bench/matching.py: fast at 100,000).
PREFILTER_LIMIT = 1000


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


def prefilter(
    session: Session, vacancy: Vacancy, exclude_request_id: int | None = None
) -> list[Row]:
    """The SQL step: plain, indexed, non-identifying columns only."""
    c = Candidate
    levels = [e for e in EducationLevel if e.rank >= vacancy.min_education.rank]
    query = select(
        c.id, c.regency_code, c.province_code, c.education, c.hours,
        c.is_willing_to_relocate, c.accommodation_needs,
    ).where(
        c.status == CandidateStatus.ACTIVE,
        c.availability != Availability.NOT_AVAILABLE,
        c.hours.in_(_hours_fit(vacancy.hours)),
        c.education.in_(levels),
        or_(
            c.province_code == vacancy.province_code,
            c.is_willing_to_relocate.is_(True),
            exists().where(
                CandidateLocation.candidate_id == c.id,
                CandidateLocation.regency_code == vacancy.regency_code,
            ),
        ),
    )  # fmt: skip
    if vacancy.skill_codes:
        query = query.where(
            exists().where(
                CandidateSkill.candidate_id == c.id,
                CandidateSkill.skill_code.in_(sorted(vacancy.skill_codes)),
            )
        )
    if exclude_request_id is not None:
        query = query.where(
            ~exists().where(
                Referral.candidate_id == c.id, Referral.request_id == exclude_request_id
            )
        )
    hired = hired_anywhere(c.id)
    # The score's two largest terms (skills, then place) order the rows in SQL, so a loose
    # request that hits the limit keeps the candidates most likely to rank first.
    overlap = (
        select(func.count())
        .where(
            CandidateSkill.candidate_id == c.id,
            CandidateSkill.skill_code.in_(sorted(vacancy.skill_codes)),
        )
        .correlate(Candidate)
        .scalar_subquery()
    )
    nearness = case(
        (c.regency_code == vacancy.regency_code, 0),
        (c.province_code == vacancy.province_code, 1),
        else_=2,
    )
    query = query.where(~hired).order_by(overlap.desc(), nearness, c.id).limit(PREFILTER_LIMIT)
    return [Row(*row) for row in session.execute(query)]


def _grouped(
    session: Session,
    ids: list[int],
    key: InstrumentedAttribute[int],
    value: InstrumentedAttribute[Any],
) -> dict[int, list[Any]]:
    """`value`s by candidate for the ids the (scoped) prefilter returned. Core on the session's
    connection: these rows belong to candidates already in reach, and the ORM's per-statement
    work would cost more than the query."""
    found: dict[int, list[Any]] = defaultdict(list)
    connection = session.connection()
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        for candidate_id, item in connection.execute(select(key, value).where(key.in_(part))):
            found[candidate_id].append(item)
    return found


def score(
    row: Row, vacancy: Vacancy, skills: set[str], preferred: set[str], trainings: list[str | None]
) -> Match:
    """The Python step: every point with its reason (worded only when shown, see `Reason`)."""
    reasons: list[Reason] = []
    if vacancy.skill_codes:
        have, want = len(skills & vacancy.skill_codes), len(vacancy.skill_codes)
        reasons.append(Reason(round(SKILL_POINTS * have / want), "skills", (have, want)))
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
        points = min(TRAINING_MAX, TRAINING_POINTS * relevant)
        reasons.append(Reason(points, "trainings", (relevant,)))
    return Match(row.id, sum(r.points for r in reasons), tuple(reasons))


def rank(session: Session, rows: list[Row], vacancy: Vacancy, limit: int) -> list[Match]:
    ids = [row.id for row in rows]
    skills = _grouped(session, ids, CandidateSkill.candidate_id, CandidateSkill.skill_code)
    places = _grouped(session, ids, CandidateLocation.candidate_id, CandidateLocation.regency_code)
    courses = _grouped(session, ids, CandidateTraining.candidate_id, CandidateTraining.skill_code)
    matches = [
        score(row, vacancy, set(skills[row.id]), set(places[row.id]), courses[row.id])
        for row in rows
    ]
    matches.sort(key=lambda m: (-m.score, m.candidate_id))
    return matches[:limit]


def suggest(session: Session, request: ReferralRequest, limit: int = 20) -> list[Match]:
    """The best `limit` candidates for `request` among those the session's reach may see."""
    vacancy = vacancy_of(session, request)
    return rank(session, prefilter(session, vacancy, request.id), vacancy, limit)
