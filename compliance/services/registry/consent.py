"""A candidate's consent to be in the registry (UU 27/2022 Pasal 20-26, 40).

Each record names who consented (the candidate or their guardian), how, when, which version of
the consent text, and what may be shared with employers before an introduction. Recording it
turns a draft into an active candidate; withdrawing it removes the candidate from matching at
once, withdraws their open referrals and schedules the deletion that
`purge_withdrawn_candidates` (the scheduled job) carries out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from compliance.clock import today_in, utcnow, zone_of_region
from compliance.models.accounts import User
from compliance.models.people import ConsentMethod
from compliance.models.referrals import Referral, ReferralStatus
from compliance.models.registry import (
    Candidate,
    CandidateConsent,
    CandidateConsentGiver,
    CandidateStatus,
)
from compliance.services import ServiceError, settings
from compliance.services.audit import record_event
from compliance.services.registry.candidates import get_candidate
from compliance.services.registry.vocabulary import category_mask

#: Versions of the consent text, by language. Add a version; never change a published one.
CANDIDATE_CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2026-11": {
        "id": (
            "Saya setuju ULD Ketenagakerjaan mencatat nama, kontak, ragam disabilitas, "
            "pendidikan, keterampilan, pengalaman, pelatihan dan kebutuhan akomodasi saya di "
            "Kuota Inklusi, untuk mencarikan saya pekerjaan.\n\n"
            "Perusahaan hanya melihat profil tanpa nama (keterampilan, pendidikan, pelatihan, "
            "dan, jika saya setujui di bawah, ragam disabilitas dan kebutuhan akomodasi). Nama "
            "dan kontak saya diberikan kepada sebuah perusahaan hanya setelah saya setuju "
            "diperkenalkan kepada perusahaan itu.\n\n"
            "Saya boleh menarik persetujuan ini kapan saja. Setelah ditarik, saya langsung "
            "tidak dicocokkan lagi dan data saya dihapus."
        ),
        "en": (
            "I agree that the ULD Ketenagakerjaan records my name, contact details, category of "
            "disability, education, skills, experience, training and accommodation needs in "
            "Kuota Inklusi, to find me work.\n\n"
            "Companies see only a profile without my name (skills, education, training and, if "
            "I agree below, my category of disability and accommodation needs). My name and "
            "contact details go to a company only after I agree to be introduced to it.\n\n"
            "I may withdraw this consent at any time. After I withdraw it, I am no longer "
            "matched at once and my data is deleted."
        ),
    },
}
CURRENT_VERSION = "2026-11"


def candidate_consent_text(locale: str, version: str = CURRENT_VERSION) -> str:
    texts = CANDIDATE_CONSENT_TEXTS[version]
    return texts.get(locale, texts["id"])


@dataclass(frozen=True)
class CandidateConsentInput:
    given_by: str
    method: str
    given_on: date | None
    guardian_name: str = ""
    may_share_category: bool = False
    may_share_accommodation: bool = False
    version: str = CURRENT_VERSION


def record_candidate_consent(
    session: Session, actor: User, candidate_id: int, data: CandidateConsentInput
) -> CandidateConsent:
    candidate = get_candidate(session, actor, candidate_id)
    if candidate.status is CandidateStatus.WITHDRAWN:
        raise ServiceError(_("This candidate withdrew consent; register them again if needed."))
    if candidate.active_consent is not None:
        raise ServiceError(_("This candidate's consent is already recorded."))
    if data.given_by not in {g.value for g in CandidateConsentGiver}:
        raise ServiceError(_("Choose who gave the consent."), field="given_by")
    guardian = data.guardian_name.strip()
    if data.given_by == CandidateConsentGiver.GUARDIAN and not guardian:
        raise ServiceError(_("Enter the guardian's name."), field="guardian_name")
    if data.method not in {m.value for m in ConsentMethod}:
        raise ServiceError(_("Choose how the consent was given."), field="method")
    if data.given_on is None:
        raise ServiceError(_("Enter the date the consent was given."), field="given_on")
    if data.given_on > today_in(zone_of_region(candidate.regency_code)):
        raise ServiceError(_("The consent date cannot be in the future."), field="given_on")
    if data.version not in CANDIDATE_CONSENT_TEXTS:
        raise ServiceError(_("Unknown version of the consent text."))
    consent = CandidateConsent(
        regency_code=candidate.regency_code,
        given_by=CandidateConsentGiver(data.given_by),
        guardian_name=guardian if data.given_by == CandidateConsentGiver.GUARDIAN else None,
        method=ConsentMethod(data.method),
        given_at=datetime.combine(data.given_on, time()),
        consent_text_version=data.version,
        may_share_category=data.may_share_category,
        may_share_accommodation=data.may_share_accommodation,
        recorded_by_id=actor.id,
    )
    candidate.consents.append(consent)
    candidate.status = CandidateStatus.ACTIVE
    if data.may_share_category:
        candidate.category_mask = category_mask(candidate.disability_categories or [])
    session.flush()
    record_event(
        session,
        actor,
        "candidate.consent_recorded",
        candidate,
        data={"method": data.method, "version": data.version},
    )
    return consent


def withdraw_candidate_consent(
    session: Session, actor: User, candidate_id: int, now: datetime | None = None
) -> Candidate:
    candidate = get_candidate(session, actor, candidate_id)
    consent = candidate.active_consent
    if consent is None:
        raise ServiceError(_("There is no active consent to withdraw."))
    withdraw(session, actor, candidate, now or utcnow())
    return candidate


def withdraw(session: Session, actor: User | None, candidate: Candidate, now: datetime) -> None:
    """Out of matching at once, open referrals withdrawn, deletion scheduled. Also used by the
    external registry sync when a record's consent disappears (`actor` None: the system)."""
    for consent in candidate.consents:
        consent.withdrawn_at = consent.withdrawn_at or now
    candidate.status = CandidateStatus.WITHDRAWN
    candidate.withdrawn_at = now
    candidate.category_mask = 0
    candidate.delete_after = now + timedelta(days=settings().registry_purge_days)
    session.execute(
        update(Referral)
        .where(
            Referral.candidate_id == candidate.id,
            Referral.status.in_([s for s in ReferralStatus if s.is_open]),
        )
        .values(status=ReferralStatus.WITHDRAWN, outcome_at=now)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    record_event(session, actor, "candidate.consent_withdrawn", candidate)


def purge_withdrawn_candidates(session: Session, now: datetime) -> int:
    """Delete every candidate whose deletion date has come. Idempotent, for the scheduled job
    (run under an everything-reach); returns how many were deleted."""
    due = session.scalars(
        select(Candidate).where(
            Candidate.status == CandidateStatus.WITHDRAWN,
            Candidate.delete_after.is_not(None),
            Candidate.delete_after <= now,
        )
    ).all()
    for candidate in due:
        session.execute(
            update(Referral)
            .where(Referral.candidate_id == candidate.id)
            .values(candidate_id=None)
            .execution_options(synchronize_session=False)
        )
        record_event(session, None, "candidate.purged", ("Candidate", candidate.id))
        session.delete(candidate)
    session.flush()
    return len(due)
