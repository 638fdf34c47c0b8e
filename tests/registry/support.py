"""Builders for registry tests: ULDs, officers, candidates with consent, referral requests,
made through the real services."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert

from compliance.models import Role, User
from compliance.models.registry import Uld, uld_officers
from compliance.services.registry.candidates import (
    CandidateInput,
    TrainingInput,
    add_training,
    save_candidate,
)
from compliance.services.registry.consent import CandidateConsentInput, record_candidate_consent
from tests.support.factories import Factory, UserRef

SECRET_NAME = "Siti Rahmawati Rahasia"
SECRET_PHONE = "0812-9999-1234"


def make_uld(factory: Factory, province: str, regency: str | None, name: str = "") -> int:
    with factory.session() as session:
        uld = Uld(
            name=name or f"ULD {regency or province}",
            province_code=province,
            regency_code=regency,
            email="uld@example.com",
        )
        session.add(uld)
        session.flush()
        return uld.id


def make_officer(
    factory: Factory, regencies: tuple[str, ...], uld_id: int | None = None
) -> UserRef:
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=regencies)
    if uld_id is not None:
        with factory.session() as session:
            session.execute(insert(uld_officers).values(user_id=officer.id, uld_id=uld_id))
    return officer


def candidate_input(regency: str = "36.71", **overrides: object) -> CandidateInput:
    values: dict[str, object] = {
        "name": SECRET_NAME,
        "phone": SECRET_PHONE,
        "regency_code": regency,
        "categories": ["sensory"],
        "education": "senior",
        "hours": "full_time",
        "availability": "available",
        "skills": ["data_entry", "admin"],
        "accommodation_needs": ["screen_reader"],
    }
    values.update(overrides)
    return CandidateInput(**values)  # type: ignore[arg-type]


def make_candidate(
    factory: Factory,
    officer: UserRef,
    *,
    consent: bool = True,
    share_category: bool = True,
    training_skill: str = "",
    **overrides: object,
) -> int:
    with factory.session() as session:
        actor = session.get(User, officer.id)
        assert actor is not None
        candidate = save_candidate(session, actor, candidate_input(**overrides))
        if consent:
            record_candidate_consent(
                session,
                actor,
                candidate.id,
                CandidateConsentInput(
                    given_by="candidate",
                    method="written",
                    given_on=date(2025, 3, 1),
                    may_share_category=share_category,
                    may_share_accommodation=True,
                ),
            )
        if training_skill:
            add_training(
                session,
                actor,
                candidate.id,
                TrainingInput("Operator komputer", "BLK", date(2025, 1, 31), training_skill, True),
            )
        return candidate.id


def registry_world(
    factory: Factory, organization_id: int, regency: str = "35.78"
) -> dict[str, int]:
    """Registry objects of another tenant, for the isolation test: a ULD of `regency` with
    its officer, a candidate with a training, and the organisation's request with a shared
    referral of that candidate."""
    from compliance.services.registry.referrals import propose_candidate, send_shortlist
    from compliance.services.registry.requests import RequestInput, create_request

    uld_id = make_uld(factory, regency[:2], regency)
    officer = make_officer(factory, (regency,), uld_id)
    candidate_id = make_candidate(factory, officer, regency=regency, training_skill="admin")
    with factory.session() as session:
        from sqlalchemy import select

        from compliance.models import Establishment
        from compliance.models.registry import CandidateTraining

        hr = session.scalar(select(User).where(User.organization_id == organization_id))
        establishment_id = session.scalar(
            select(Establishment.id).where(Establishment.organization_id == organization_id)
        )
        request = create_request(
            session,
            hr,
            RequestInput(establishment_id, "Staf rahasia", "Tugas", "full_time", "none", 1),
        )
        actor = session.get(User, officer.id)
        referral = propose_candidate(session, actor, request.id, candidate_id)
        send_shortlist(session, actor, request.id)
        training_id = session.scalar(select(CandidateTraining.id))
        return {
            "candidate_id": candidate_id,
            "training_id": training_id,
            "request_id": request.id,
            "referral_id": referral.id,
        }


def registry_pages_world(
    factory: Factory, organization_id: int, officer: UserRef
) -> dict[str, int]:
    """What the accessibility test shows: a provincial ULD of DKI Jakarta with `officer`, an
    active and a draft candidate, the organisation's request with an introduced referral."""
    from sqlalchemy import select

    from compliance.models import Establishment
    from compliance.services.registry.referrals import (
        propose_candidate,
        record_introduction,
        send_shortlist,
    )
    from compliance.services.registry.requests import RequestInput, create_request

    uld_id = make_uld(factory, "31", None, "ULD Provinsi DKI Jakarta")
    with factory.session() as session:
        session.execute(insert(uld_officers).values(user_id=officer.id, uld_id=uld_id))
    candidate_id = make_candidate(
        factory, officer, training_skill="admin", is_willing_to_relocate=True
    )
    draft_id = make_candidate(factory, officer, consent=False, name="Calon Draf")
    spare_id = make_candidate(factory, officer, name="Calon Lain", is_willing_to_relocate=True)
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == organization_id))
        establishment_id = session.scalar(
            select(Establishment.id).where(Establishment.organization_id == organization_id)
        )
        data = RequestInput(
            establishment_id, "Staf administrasi", "Entri data", "full_time", "senior", 2,
            skill_codes=["admin"], accommodations_offered=["screen_reader"],
        )  # fmt: skip
        request = create_request(session, hr, data)
        actor = session.get(User, officer.id)
        referral = propose_candidate(session, actor, request.id, candidate_id)
        send_shortlist(session, actor, request.id)
        record_introduction(session, actor, referral.id, "written")
        return {
            "uld_id": uld_id,
            "candidate_id": candidate_id,
            "draft_id": draft_id,
            "spare_id": spare_id,
            "request_id": request.id,
            "referral_id": referral.id,
        }
