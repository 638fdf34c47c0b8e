"""What a company may see of a proposed candidate (UU 27/2022: consent decides).

Until the officer records that the candidate agreed to be introduced to *this* company, the
company sees an anonymised profile: skills, education, training, hours, and the category and
accommodation needs only if the candidate's consent allows. Only then do the name and contact
details appear. This module is the one way a company's pages read a candidate: companies are
outside the candidates' tenant scope, so the candidate is loaded by the id of a referral that
is itself inside the company's scope, with the documented scope bypass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from compliance.models.referrals import Referral, ReferralStatus
from compliance.models.registry import Candidate, EducationLevel, Hours
from compliance.models.tenancy import SKIP_OPTION


@dataclass(frozen=True)
class Training:
    title: str
    provider: str
    completed_on: date
    has_certificate: bool


@dataclass(frozen=True)
class Identity:
    name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class CompanyProfile:
    """One referral as the company sees it; `identity` is None before the introduction."""

    referral_id: int
    reference: str
    status: ReferralStatus
    skills: tuple[str, ...]
    skills_other: str | None
    education: EducationLevel | None
    hours: Hours | None
    trainings: tuple[Training, ...]
    categories: tuple[str, ...] | None
    accommodation_needs: tuple[str, ...] | None
    identity: Identity | None


def _candidate(session: Session, referral: Referral) -> Candidate | None:
    if referral.candidate_id is None:
        return None
    return session.scalar(
        select(Candidate)
        .where(Candidate.id == referral.candidate_id)
        .options(
            selectinload(Candidate.skills),
            selectinload(Candidate.trainings),
            selectinload(Candidate.consents),
        )
        .execution_options(**{SKIP_OPTION: True})
    )


def company_profile(session: Session, referral: Referral) -> CompanyProfile:
    """`referral` must have been loaded under the company's scope (it is the key)."""
    candidate = _candidate(session, referral)
    consent = candidate.active_consent if candidate is not None else None
    reference = f"K-{referral.id:05d}"
    if candidate is None or consent is None:  # withdrawn or purged: nothing but the status
        return CompanyProfile(
            referral.id, reference, referral.status, (), None, None, None, (), None, None, None
        )
    introduced = (
        referral.introduced_at is not None and referral.status is not ReferralStatus.WITHDRAWN
    )
    return CompanyProfile(
        referral_id=referral.id,
        reference=reference,
        status=referral.status,
        skills=tuple(s.skill_code for s in candidate.skills),
        skills_other=candidate.skills_other,
        education=candidate.education,
        hours=candidate.hours,
        trainings=tuple(
            Training(t.title, t.provider, t.completed_on, t.has_certificate)
            for t in candidate.trainings
        ),
        categories=tuple(candidate.disability_categories or ())
        if consent.may_share_category
        else None,
        accommodation_needs=(
            tuple(candidate.accommodation_needs or ()) if consent.may_share_accommodation else None
        ),
        identity=Identity(candidate.name, candidate.email, candidate.phone) if introduced else None,
    )


def company_candidate(session: Session, referral: Referral) -> Candidate | None:
    """The candidate behind a referral the company reaches, for the hire (not for display)."""
    return _candidate(session, referral)
