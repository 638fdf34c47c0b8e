"""Demo data of the registry: a few ULDs, the demo officer's membership, some candidates.

Idempotent like the rest of the demo: what exists is left alone. Contact details are
placeholders on `.demo` domains, not the real offices'.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.organizations import Establishment
from compliance.models.people import ConsentMethod
from compliance.models.regions import Regency
from compliance.models.registry import (
    Availability,
    Candidate,
    CandidateConsent,
    CandidateConsentGiver,
    CandidateSkill,
    CandidateStatus,
    CandidateTraining,
    EducationLevel,
    Hours,
    Uld,
    uld_officers,
)
from compliance.services.registry.requests import RequestInput, create_request
from compliance.services.registry.vocabulary import category_mask

DEMO_OFFICER = "petugas@uld-tangerang.demo"
#: (name, province, regency or None, e-mail)
ULDS = [
    ("ULD Ketenagakerjaan Kota Tangerang (demo)", "36", "36.71", "uld@tangerangkota.demo"),
    ("ULD Ketenagakerjaan Provinsi DKI Jakarta (demo)", "31", None, "uld@jakarta.demo"),
    ("ULD Ketenagakerjaan Kabupaten Bantul (demo)", "34", "34.02", "uld@bantulkab.demo"),
]
#: (name, categories, education, skills, hours, accommodation needs, training)
CANDIDATES = [
    ("Rina Kusuma", ["sensory"], EducationLevel.SENIOR, ["data_entry", "admin"],
     Hours.FULL_TIME, ["screen_reader"], ("Pelatihan operator komputer", "BLK Tangerang")),
    ("Agus Pratama", ["physical"], EducationLevel.DIPLOMA, ["accounting", "admin"],
     Hours.EITHER, ["step_free_access"], ("Akuntansi dasar", "Inclusive Job Centre")),
    ("Dewi Lestari", ["sensory"], EducationLevel.SENIOR, ["sewing", "handicraft"],
     Hours.PART_TIME, ["sign_language_interpreter", "written_instructions"],
     ("Menjahit", "Balai Kemensos")),
]  # fmt: skip


def load_registry_demo(session: Session) -> None:
    """Create what is missing; runs under the demo loader's everything-reach."""
    for name, province, uld_regency, email in ULDS:
        if session.scalar(select(Uld.id).where(Uld.name == name)) is None:
            session.add(
                Uld(name=name, province_code=province, regency_code=uld_regency, email=email)
            )
    session.flush()
    officer = session.scalar(select(User).where(User.email == DEMO_OFFICER))
    tangerang = session.scalar(select(Uld).where(Uld.regency_code == "36.71"))
    if officer is None or tangerang is None:
        return
    member = session.scalar(
        select(uld_officers.c.uld_id).where(uld_officers.c.user_id == officer.id)
    )
    if member is None:
        session.execute(insert(uld_officers).values(user_id=officer.id, uld_id=tangerang.id))
    if session.scalar(select(Candidate.id).where(Candidate.external_source == "demo")):
        return
    _demo_candidates(session, officer)
    _demo_request(session)


def _demo_request(session: Session) -> None:
    """A request of the Tangerang city government, so the demo officer has one to answer."""
    hr = session.scalar(select(User).where(User.email == "hr@pemkot-tangerang.demo"))
    if hr is None or hr.organization_id is None:
        return
    establishment_id = session.scalar(
        select(Establishment.id).where(Establishment.organization_id == hr.organization_id)
    )
    data = RequestInput(
        establishment_id, "Staf administrasi layanan publik", "Entri data dan arsip surat",
        "full_time", "senior", 2, skill_codes=["admin", "data_entry"],
        accommodations_offered=["screen_reader", "step_free_access"],
    )  # fmt: skip
    create_request(session, hr, data)


def _demo_candidates(session: Session, officer: User) -> None:
    regency = session.get(Regency, "36.71")
    assert regency is not None
    for number, (name, categories, education, skills, hours, needs, course) in enumerate(
        CANDIDATES, start=1
    ):
        candidate = Candidate(
            name=name,
            phone=f"0812-0000-000{number}",
            regency_code=regency.code,
            province_code=regency.province_code,
            status=CandidateStatus.ACTIVE,
            disability_categories=categories,
            category_mask=category_mask(categories),
            education=education,
            hours=hours,
            availability=Availability.AVAILABLE,
            accommodation_needs=needs,
            external_source="demo",
            external_id=str(number),
            created_by_id=officer.id,
        )
        candidate.skills = [CandidateSkill(skill_code=s) for s in skills]
        candidate.trainings = [
            CandidateTraining(
                title=course[0],
                provider=course[1],
                skill_code=skills[0],
                completed_on=date(2025, 6, 30),
                has_certificate=True,
            )
        ]
        candidate.consents = [
            CandidateConsent(
                regency_code=regency.code,
                given_by=CandidateConsentGiver.CANDIDATE,
                method=ConsentMethod.WRITTEN,
                given_at=datetime.combine(date(2025, 7, 1), time()),
                consent_text_version="2026-11",
                may_share_category=True,
                may_share_accommodation=True,
                recorded_by_id=officer.id,
            )
        ]
        session.add(candidate)
    session.flush()
