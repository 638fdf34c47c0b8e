"""Sync from an external candidate registry's JSON API (`REGISTRY_EXTERNAL_URL`).

The feed is `{"candidates": [{"id", "regency_code", "name", "email", "phone", "categories",
"education", "hours", "availability", "skills", "accommodation_needs", "willing_to_relocate",
"consent": {"given", "given_by", "method", "given_at", "text_version", "share_category",
"share_accommodation"}}]}`. The whole response is checked before anything is written: a
malformed one changes nothing. Then each record is matched on (source, id): new candidates with
consent are created, changed ones updated, unchanged ones left alone (so a repeated sync writes
nothing), and a record whose consent is gone withdraws the candidate at once. A record without
consent is never stored. Runs as the system, under an everything-reach (CLI or job).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from compliance.clock import utcnow
from compliance.integrations.registry_feed import FeedUnavailable, fetch_feed
from compliance.models.people import ConsentMethod
from compliance.models.regions import Regency
from compliance.models.registry import (
    Availability,
    Candidate,
    CandidateConsent,
    CandidateConsentGiver,
    CandidateSkill,
    CandidateStatus,
    EducationLevel,
    Hours,
)
from compliance.quota.vocab import DisabilityCategory
from compliance.services import ServiceError, settings
from compliance.services.audit import record_event
from compliance.services.registry.consent import withdraw
from compliance.services.registry.vocabulary import ACCOMMODATIONS, SKILLS, category_mask

SOURCE = "external"


@dataclass(frozen=True)
class Record:
    external_id: str
    regency: Regency
    fields: dict[str, Any]
    consent: dict[str, Any] | None


@dataclass(frozen=True)
class SyncReport:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    skipped: int = 0


def fetch(url: str, token: str = "") -> Any:
    """The feed's document (`integrations.registry_feed`), or `ServiceError` saying why not."""
    try:
        return fetch_feed(url, token)
    except FeedUnavailable as exc:
        raise ServiceError(f"external registry: {exc}") from exc


def _fail(index: int, problem: str) -> ServiceError:
    return ServiceError(f"external registry: candidate {index}: {problem}")


def _codes(raw: Any, allowed: set[str], index: int, name: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise _fail(index, f"{name} must be a list of codes")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(index, f"unknown {name}: {', '.join(unknown)}")
    return sorted(set(raw))


def _choice(raw: Any, allowed: type[Any], index: int, name: str) -> Any:
    try:
        return allowed(raw)
    except ValueError:
        raise _fail(index, f"{name} {raw!r} is not allowed") from None


def _consent(raw: Any, index: int) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not raw.get("given"):
        return None
    try:
        given_at = date.fromisoformat(str(raw["given_at"]))
    except (KeyError, ValueError):
        raise _fail(index, "consent.given_at must be a date (YYYY-MM-DD)") from None
    return {
        "given_by": _choice(raw.get("given_by"), CandidateConsentGiver, index, "consent.given_by"),
        "method": _choice(raw.get("method"), ConsentMethod, index, "consent.method"),
        "given_at": datetime.combine(given_at, time()),
        "version": str(raw.get("text_version") or "external")[:20],
        "share_category": bool(raw.get("share_category")),
        "share_accommodation": bool(raw.get("share_accommodation")),
    }


def parse(session: Session, payload: Any) -> list[Record]:
    """Every record checked, or `ServiceError` naming the first problem (nothing written)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("candidates"), list):
        raise ServiceError("external registry: the response has no 'candidates' list")
    regencies = {r.code: r for r in session.scalars(select(Regency))}
    records, seen = [], set()
    for index, item in enumerate(payload["candidates"], start=1):
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            raise _fail(index, "each candidate needs an 'id'")
        external_id = str(item["id"]).strip()[:100]
        if external_id in seen:
            raise _fail(index, f"id {external_id} appears twice")
        seen.add(external_id)
        regency = regencies.get(str(item.get("regency_code")))
        if regency is None:
            raise _fail(index, f"unknown regency_code {item.get('regency_code')!r}")
        name = str(item.get("name") or "").strip()
        if not name:
            raise _fail(index, "name is required")
        categories = {c.value for c in DisabilityCategory}
        needs = item.get("accommodation_needs", [])
        fields = {
            "name": name[:200],
            "email": (str(item.get("email") or "").strip().lower() or None),
            "phone": (str(item.get("phone") or "").strip() or None),
            "disability_categories": _codes(
                item.get("categories", []), categories, index, "categories"
            ),
            "education": _choice(item.get("education"), EducationLevel, index, "education"),
            "hours": _choice(item.get("hours"), Hours, index, "hours"),
            "availability": _choice(item.get("availability"), Availability, index, "availability"),
            "is_willing_to_relocate": bool(item.get("willing_to_relocate")),
            "accommodation_needs": _codes(
                needs, set(ACCOMMODATIONS), index, "accommodation_needs"
            ),
            "skills": _codes(item.get("skills", []), set(SKILLS), index, "skills"),
        }  # fmt: skip
        records.append(Record(external_id, regency, fields, _consent(item.get("consent"), index)))
    return records


def _snapshot(candidate: Candidate) -> dict[str, Any]:
    consent = candidate.active_consent
    return {
        "name": candidate.name,
        "email": candidate.email,
        "phone": candidate.phone,
        "disability_categories": sorted(candidate.disability_categories or []),
        "education": candidate.education,
        "hours": candidate.hours,
        "availability": candidate.availability,
        "is_willing_to_relocate": candidate.is_willing_to_relocate,
        "accommodation_needs": sorted(candidate.accommodation_needs or []),
        "skills": sorted(s.skill_code for s in candidate.skills),
        "regency": candidate.regency_code,
        "share": (consent.may_share_category, consent.may_share_accommodation) if consent else None,
    }


def _apply(candidate: Candidate, record: Record) -> None:
    for name, value in record.fields.items():
        if name != "skills":
            setattr(candidate, name, value)
    if sorted(s.skill_code for s in candidate.skills) != record.fields["skills"]:
        candidate.skills = [CandidateSkill(skill_code=s) for s in record.fields["skills"]]
    candidate.regency_code = record.regency.code
    candidate.province_code = record.regency.province_code
    assert record.consent is not None
    consent = candidate.active_consent
    if consent is None:
        consent = CandidateConsent(
            regency_code=record.regency.code,
            given_by=record.consent["given_by"],
            method=record.consent["method"],
            given_at=record.consent["given_at"],
            consent_text_version=record.consent["version"],
        )
        candidate.consents.append(consent)
    consent.may_share_category = record.consent["share_category"]
    consent.may_share_accommodation = record.consent["share_accommodation"]
    shared = record.consent["share_category"]
    candidate.category_mask = category_mask(record.fields["disability_categories"]) if shared else 0
    candidate.status = CandidateStatus.ACTIVE


def _wanted(record: Record) -> dict[str, Any]:
    assert record.consent is not None
    return {
        **record.fields,
        "regency": record.regency.code,
        "share": (record.consent["share_category"], record.consent["share_accommodation"]),
    }


def sync(session: Session, payload: Any, now: datetime | None = None) -> SyncReport:
    records = parse(session, payload)
    now = now or utcnow()
    existing = {
        c.external_id: c
        for c in session.scalars(
            select(Candidate)
            .where(Candidate.external_source == SOURCE)
            .options(selectinload(Candidate.skills), selectinload(Candidate.consents))
        )
    }
    counts = {"created": 0, "updated": 0, "withdrawn": 0, "unchanged": 0, "skipped": 0}
    for record in records:
        candidate = existing.get(record.external_id)
        if record.consent is None:
            if candidate is not None and candidate.status is CandidateStatus.ACTIVE:
                withdraw(session, None, candidate, now)
                counts["withdrawn"] += 1
            else:
                counts["skipped"] += 1
            continue
        if candidate is not None and candidate.status is CandidateStatus.WITHDRAWN:
            counts["skipped"] += 1  # withdrawn here: a new consent means a new registration
            continue
        if candidate is not None and _snapshot(candidate) == _wanted(record):
            counts["unchanged"] += 1
            continue
        created = candidate is None
        if candidate is None:
            candidate = Candidate(external_source=SOURCE, external_id=record.external_id)
            session.add(candidate)
        _apply(candidate, record)
        session.flush()
        record_event(session, None, "candidate.synced", candidate, data={"created": created})
        counts["created" if created else "updated"] += 1
    session.flush()
    return SyncReport(**counts)


def sync_external_registry(session: Session) -> SyncReport:
    """Fetch the configured feed and sync it; `ServiceError` if none is configured."""
    config = settings()
    if not config.registry_external_url:
        raise ServiceError("REGISTRY_EXTERNAL_URL is not set")
    return sync(session, fetch(config.registry_external_url, config.registry_external_token))
