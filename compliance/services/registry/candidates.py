"""The registry of job seekers with disabilities, kept by the ULD officers of their regency.

A candidate is only a draft until their consent is recorded (`registry.consent`): drafts are
never matched or shown to anyone but the officers. Only officers whose regencies include the
candidate's regency can create or change them; the tenant scope already hides the others.
Audit events name the fields that changed, never their values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from compliance.models.accounts import Role, User
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
from compliance.quota.vocab import DisabilityCategory
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.registry.vocabulary import (
    ACCOMMODATIONS,
    SKILLS,
    category_mask,
    unknown_codes,
)


@dataclass(frozen=True)
class CandidateInput:
    name: str
    regency_code: str
    categories: Sequence[str]
    education: str
    hours: str
    availability: str
    email: str = ""
    phone: str = ""
    skills: Sequence[str] = ()
    skills_other: str = ""
    experience: str = ""
    preferred_regencies: Sequence[str] = ()
    is_willing_to_relocate: bool = False
    accommodation_needs: Sequence[str] = ()
    accommodation_note: str = ""
    available_from: date | None = None


@dataclass(frozen=True)
class TrainingInput:
    title: str
    provider: str
    completed_on: date | None
    skill_code: str = ""
    has_certificate: bool = False


def officer_regencies(actor: User) -> frozenset[str]:
    if actor.role is not Role.REGISTRY_OFFICER:
        raise PermissionDenied(_("Only ULD officers keep the registry."))
    return actor.reach().regency_codes


def get_candidate(session: Session, actor: User, candidate_id: int) -> Candidate:
    officer_regencies(actor)
    candidate = session.scalar(
        select(Candidate)
        .where(Candidate.id == candidate_id)
        .options(
            selectinload(Candidate.skills),
            selectinload(Candidate.locations),
            selectinload(Candidate.trainings),
            selectinload(Candidate.consents),
        )
    )
    if candidate is None:
        raise NotFound(_("Candidate not found."))
    return candidate


def check_candidate(session: Session, actor: User, data: CandidateInput) -> Regency:
    """Every rule on a candidate's fields; the first broken one raises, tied to its field."""
    if not data.name.strip():
        raise ServiceError(_("Enter the candidate's name."), field="name")
    if len(data.name) > 200:
        raise ServiceError(_("Use at most %(max)d characters.", max=200), field="name")
    regency = session.get(Regency, data.regency_code) if data.regency_code else None
    if regency is None or regency.code not in officer_regencies(actor):
        raise ServiceError(_("Choose one of your regencies or cities."), field="regency_code")
    if not data.categories:
        raise ServiceError(_("Choose at least one category."), field="categories")
    if set(data.categories) - {c.value for c in DisabilityCategory}:
        raise ServiceError(_("Choose categories from the list."), field="categories")
    for name, enum_cls in (
        ("education", EducationLevel),
        ("hours", Hours),
        ("availability", Availability),
    ):
        if getattr(data, name) not in {m.value for m in enum_cls}:
            raise ServiceError(_("Choose one of the options."), field=name)
    if unknown_codes(data.skills, SKILLS):
        raise ServiceError(_("Choose skills from the list."), field="skills")
    if unknown_codes(data.accommodation_needs, ACCOMMODATIONS):
        raise ServiceError(_("Choose accommodations from the list."), field="accommodation_needs")
    known = set(
        session.scalars(select(Regency.code).where(Regency.code.in_(data.preferred_regencies)))
    )
    if known != set(data.preferred_regencies):
        raise ServiceError(
            _("Choose regencies or cities from the list."), field="preferred_regencies"
        )
    if not data.email.strip() and not data.phone.strip():
        raise ServiceError(_("Enter an e-mail address or a phone number."), field="phone")
    return regency


def _apply(candidate: Candidate, data: CandidateInput, regency: Regency) -> None:
    candidate.name = data.name.strip()
    candidate.email = data.email.strip().lower() or None
    candidate.phone = data.phone.strip() or None
    candidate.regency_code = regency.code
    candidate.province_code = regency.province_code
    candidate.disability_categories = [
        c.value for c in DisabilityCategory if c.value in data.categories
    ]
    candidate.education = EducationLevel(data.education)
    candidate.hours = Hours(data.hours)
    candidate.availability = Availability(data.availability)
    candidate.available_from = data.available_from
    candidate.is_willing_to_relocate = data.is_willing_to_relocate
    candidate.skills_other = data.skills_other.strip()[:500] or None
    candidate.experience = data.experience.strip() or None
    candidate.accommodation_needs = sorted(set(data.accommodation_needs))
    candidate.accommodation_note = data.accommodation_note.strip() or None
    candidate.skills = [CandidateSkill(skill_code=s) for s in sorted(set(data.skills))]
    candidate.locations = [
        CandidateLocation(regency_code=r)
        for r in sorted(set(data.preferred_regencies) - {regency.code})
    ]
    consent = candidate.active_consent
    shared = consent is not None and consent.may_share_category
    candidate.category_mask = category_mask(candidate.disability_categories) if shared else 0


def save_candidate(
    session: Session, actor: User, data: CandidateInput, candidate_id: int | None = None
) -> Candidate:
    """Create a draft (no `candidate_id`) or update a candidate."""
    regency = check_candidate(session, actor, data)
    candidate = get_candidate(session, actor, candidate_id) if candidate_id else None
    if candidate is not None and candidate.status is CandidateStatus.WITHDRAWN:
        raise ServiceError(_("This candidate withdrew consent and can no longer be changed."))
    if candidate is None:
        candidate = Candidate(created_by_id=actor.id, status=CandidateStatus.DRAFT)
        session.add(candidate)
    _apply(candidate, data, regency)
    session.flush()
    action = "candidate.updated" if candidate_id else "candidate.created"
    record_event(session, actor, action, candidate)
    return candidate


def add_training(
    session: Session, actor: User, candidate_id: int, data: TrainingInput
) -> CandidateTraining:
    candidate = get_candidate(session, actor, candidate_id)
    if not data.title.strip():
        raise ServiceError(_("Enter the name of the training or certificate."), field="title")
    if not data.provider.strip():
        raise ServiceError(_("Enter who gave the training."), field="provider")
    if data.completed_on is None:
        raise ServiceError(_("Enter the date it was completed."), field="completed_on")
    if data.skill_code and data.skill_code not in SKILLS:
        raise ServiceError(_("Choose a skill from the list."), field="skill_code")
    training = CandidateTraining(
        title=data.title.strip()[:200],
        provider=data.provider.strip()[:200],
        completed_on=data.completed_on,
        skill_code=data.skill_code or None,
        has_certificate=data.has_certificate,
    )
    candidate.trainings.append(training)
    session.flush()
    record_event(session, actor, "candidate.training_added", candidate)
    return training


def remove_training(session: Session, actor: User, candidate_id: int, training_id: int) -> None:
    candidate = get_candidate(session, actor, candidate_id)
    training = next((t for t in candidate.trainings if t.id == training_id), None)
    if training is None:
        raise NotFound(_("Training not found."))
    candidate.trainings.remove(training)
    session.flush()
    record_event(session, actor, "candidate.training_removed", candidate)
