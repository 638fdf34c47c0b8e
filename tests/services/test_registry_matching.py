"""Matching is exact: the suggestions are the top of scoring every candidate who could fit, in
the same order (score, then id), however many candidates rank close to the best."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import insert, select

from compliance.models import User
from compliance.models.referrals import ReferralRequest
from compliance.models.registry import (
    Candidate,
    CandidateLocation,
    CandidateSkill,
    CandidateStatus,
    CandidateTraining,
)
from compliance.models.tenancy import reach_scope
from compliance.services.registry.matching import (
    ACCOMMODATION_POINTS,
    Row,
    best_of,
    prefilter,
    rank,
    suggest,
    vacancy_of,
)
from compliance.services.registry.requests import RequestInput, create_request
from tests.registry.support import make_officer, make_uld

HERE, NEARBY, FAR = "36.71", "36.03", "31.71"  # Tangerang city, Tangerang regency, Jakarta
SKILLS = ["data_entry", "admin", "customer_service"]
_ACCOMMODATION = {"accommodation", "no_needs"}


@pytest.fixture
def world(factory):
    """An officer of the ULD a request in Tangerang is routed to, and that request's id."""
    officer = make_officer(factory, (HERE, NEARBY, FAR), make_uld(factory, "36", HERE))
    org = factory.org(regency=HERE)
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == org.id))
        data = RequestInput(
            org.establishment_ids[0], "Staf administrasi", "Entri data", "full_time", "senior",
            2, skill_codes=SKILLS, accommodations_offered=["screen_reader"],
        )  # fmt: skip
        return officer, create_request(session, hr, data).id


def _candidate(regency: str, needs: list[str], **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "regency_code": regency, "province_code": regency[:2], "status": CandidateStatus.ACTIVE,
        "name": "Calon", "accommodation_needs": needs, "education": "senior",
        "hours": "full_time", "availability": "available", "is_willing_to_relocate": False,
    }  # fmt: skip
    values.update(overrides)
    return values


def _add(session, candidates, skills, places=(), courses=()) -> list[int]:
    """Candidates in bulk, with skills, preferred places and trainings by position."""
    ids = list(session.scalars(insert(Candidate).returning(Candidate.id), candidates))
    session.execute(
        insert(CandidateSkill),
        [{"candidate_id": ids[i], "skill_code": code} for i, codes in skills for code in codes],
    )
    if places:
        rows = [{"candidate_id": ids[i], "regency_code": code} for i, code in places]
        session.execute(insert(CandidateLocation), rows)
    for i, code in courses:
        session.add(CandidateTraining(candidate_id=ids[i], title="Kursus", provider="BLK",
                                      skill_code=code, completed_on=date(2025, 6, 1)))  # fmt: skip
    session.flush()
    return ids


def _row(candidate: Candidate) -> Row:
    return Row(candidate.id, candidate.regency_code, candidate.province_code,
               candidate.education, candidate.hours, candidate.is_willing_to_relocate,
               candidate.accommodation_needs)  # fmt: skip


def test_the_best_candidate_is_found_behind_a_thousand_close_ones(app, factory, world):
    """A thousand candidates as skilled and as near, but whose needs the workplace lacks, come
    first by id; the one whose needs it meets still ranks first."""
    officer, request_id = world
    with factory.session() as session:
        rows = [_candidate(HERE, ["step_free_access"]) for _ in range(1000)]
        rows.append(_candidate(HERE, ["screen_reader"]))
        ids = _add(session, rows, [(i, SKILLS) for i in range(len(rows))])
    with factory.session() as session:
        actor = session.get(User, officer.id)
        with reach_scope(session, actor.reach()):
            matches = suggest(session, session.get(ReferralRequest, request_id))
    assert [m.candidate_id for m in matches] == [ids[-1], *ids[:19]]
    assert matches[0].score == matches[1].score + ACCOMMODATION_POINTS


def test_suggestions_are_the_top_of_scoring_everyone(app, factory, world):
    """Skills, places, preferred places, trainings, relocation and needs all vary, with many
    ties: SQL counts every point but accommodation exactly as `score` does, and the top ten
    are those of scoring every candidate who could fit, ties by id."""
    officer, request_id = world
    needs = [[], ["screen_reader"], ["step_free_access"], ["screen_reader", "quiet_space"]]
    regencies = [HERE, NEARBY, FAR]
    with factory.session() as session:
        rows = [
            _candidate(regencies[i % 3], needs[i % 4], is_willing_to_relocate=i % 5 == 0)
            for i in range(60)
        ]
        skills = [(i, SKILLS[: 1 + i % 3]) for i in range(60) if i % 6 != 5] + [(1, ["cooking"])]
        places = [(i, HERE) for i in range(0, 60, 7) if i % 3]
        courses = [(i, SKILLS[i % 3]) for i in range(0, 60, 4)] + [(8, "admin"), (8, "admin")]
        _add(session, rows, skills, places, courses)
    with factory.session() as session:
        actor = session.get(User, officer.id)
        with reach_scope(session, actor.reach()):
            request = session.get(ReferralRequest, request_id)
            rows_of = {r.id: _row(r) for r in session.execute(select(Candidate)).scalars()}
            vacancy = vacancy_of(session, request)
            # The request as made, then the same without skills (no skill term at all).
            for wanted in (vacancy, replace(vacancy, skill_codes=frozenset())):
                ranked = prefilter(session, wanted, request_id)
                everyone = rank(session, [rows_of[i] for i, _ in ranked], wanted, len(ranked))
                by_id = {m.candidate_id: m for m in everyone}
                for candidate_id, points in ranked:
                    reasons = by_id[candidate_id].reasons
                    accommodation = sum(r.points for r in reasons if r.code in _ACCOMMODATION)
                    assert points == by_id[candidate_id].score - accommodation
                assert len(ranked) > 10
                assert best_of(session, ranked, wanted, 10) == everyone[:10]
                if wanted is vacancy:
                    assert suggest(session, request, 10) == everyone[:10]
            assert suggest(session, request, 0) == []
