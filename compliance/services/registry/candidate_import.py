"""Importing candidates from CSV or XLSX, to the roster import's standard: every wrong cell of
every row is reported at once, and nothing is written unless the whole file is clean.

Reading the file and collecting cell errors reuse `services.imports` (same formats, same
messages); each row is then checked by the same `check_candidate` a form uses, so a rule is
written once. Rows with the consent columns filled become active candidates, others drafts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from compliance.clock import today_in, zone_of_region
from compliance.models.accounts import User
from compliance.models.people import ConsentMethod
from compliance.models.registry import (
    Availability,
    CandidateConsentGiver,
    EducationLevel,
    Hours,
)
from compliance.quota.vocab import DisabilityCategory
from compliance.services import ServiceError
from compliance.services.imports.checks import Cells, Errors
from compliance.services.imports.reading import file_format, read_table
from compliance.services.imports.spec import LIST_SEPARATORS, MAX_STORED_ERRORS, RowError
from compliance.services.registry.candidates import (
    CandidateInput,
    check_candidate,
    officer_regencies,
    save_candidate,
)
from compliance.services.registry.consent import (
    CANDIDATE_CONSENT_TEXTS,
    CandidateConsentInput,
    record_candidate_consent,
)

REQUIRED = ("name", "regency", "categories", "education", "hours", "availability")
OPTIONAL = (
    "email",
    "phone",
    "available_from",
    "skills",
    "skills_other",
    "experience",
    "preferred_regencies",
    "willing_to_relocate",
    "accommodation_needs",
    "accommodation_note",
    "consent_given_by",
    "consent_guardian_name",
    "consent_method",
    "consent_date",
    "consent_text_version",
    "share_category",
    "share_accommodation",
)
COLUMNS = REQUIRED + OPTIONAL
#: Which input field a service error names, back to the file's column.
_FIELD_COLUMNS = {"regency_code": "regency", "preferred_regencies": "preferred_regencies"}
_YES = {"1", "yes", "ya", "true", "y"}


@dataclass(frozen=True)
class ImportReport:
    rows: int
    created: int
    errors: list[RowError]
    error_count: int

    @property
    def is_clean(self) -> bool:
        return self.error_count == 0


def _check_header(header: tuple[str, ...], errors: Errors) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in positions:
            errors.add(0, name, "duplicate_column", column=name)
        elif name:
            positions[name] = index
    unknown = [n for n in positions if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in positions]
    if missing:
        errors.add(0, "", "missing_columns", columns=", ".join(missing))
    if unknown:
        errors.add(0, "", "unknown_columns", columns=", ".join(unknown))
    return positions


def _split(value: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        value = value.replace(separator, " ")
    return [part.strip().lower() for part in value.split() if part.strip()]


def _row(cells: Cells) -> tuple[CandidateInput, CandidateConsentInput | None]:
    categories = _split(cells.text("categories", required=True))
    for code in categories:
        if code not in {c.value for c in DisabilityCategory}:
            cells.error("categories", "unknown_choice", value=code, allowed="physical, ...")
    data = CandidateInput(
        name=cells.text("name", required=True, max_length=200),
        email=cells.text("email", max_length=254),
        phone=cells.text("phone", max_length=50),
        regency_code=cells.text("regency", required=True),
        categories=categories,
        education=cells.choice("education", [e.value for e in EducationLevel], required=True),
        hours=cells.choice("hours", [h.value for h in Hours], required=True),
        availability=cells.choice("availability", [a.value for a in Availability], required=True),
        available_from=cells.date("available_from"),
        skills=_split(cells.text("skills")),
        skills_other=cells.text("skills_other", max_length=500),
        experience=cells.text("experience", max_length=2000),
        preferred_regencies=cells.text("preferred_regencies").replace(",", " ").split(),
        is_willing_to_relocate=cells.text("willing_to_relocate").lower() in _YES,
        accommodation_needs=_split(cells.text("accommodation_needs")),
        accommodation_note=cells.text("accommodation_note", max_length=1000),
    )
    if not cells.text("consent_given_by"):
        return data, None
    consent = CandidateConsentInput(
        given_by=cells.choice("consent_given_by", [g.value for g in CandidateConsentGiver]),
        guardian_name=cells.text("consent_guardian_name", max_length=200),
        method=cells.choice("consent_method", [m.value for m in ConsentMethod], required=True),
        given_on=cells.date("consent_date", required=True),
        version=cells.choice("consent_text_version", list(CANDIDATE_CONSENT_TEXTS), required=True),
        may_share_category=cells.text("share_category").lower() in _YES,
        may_share_accommodation=cells.text("share_accommodation").lower() in _YES,
    )
    if consent.given_by == CandidateConsentGiver.GUARDIAN and not consent.guardian_name:
        cells.error("consent_guardian_name", "guardian_name_needed")
    today = today_in(zone_of_region(data.regency_code))  # the candidate's ULD region
    if consent.given_on is not None and consent.given_on > today:
        cells.error("consent_date", "future_date", value=consent.given_on.isoformat())
    return data, consent


def import_candidates(session: Session, actor: User, filename: str, content: bytes) -> ImportReport:
    """Check every row; write all of them only if none has an error. The caller commits."""
    officer_regencies(actor)
    table = read_table(content, file_format(filename, content))
    errors = Errors(MAX_STORED_ERRORS)
    positions = _check_header(table.header, errors)
    if not table.rows:
        errors.add(0, "", "no_rows")
    if errors.count:
        return ImportReport(len(table.rows), 0, errors.items, errors.count)
    parsed = []
    for number, raw in table.rows:
        cells = Cells(number, raw, positions, errors)
        before = errors.count
        data, consent = _row(cells)
        if errors.count == before:
            try:
                check_candidate(session, actor, data)
            except ServiceError as error:
                column = _FIELD_COLUMNS.get(error.field or "", error.field or "")
                cells.error(column, "service", text=error.message)
        parsed.append((data, consent))
    if errors.count:
        return ImportReport(len(table.rows), 0, errors.items, errors.count)
    for data, consent in parsed:
        candidate = save_candidate(session, actor, data)
        if consent is not None:
            try:
                record_candidate_consent(session, actor, candidate.id, consent)
            except ServiceError as error:
                # Rolled back by the caller: nothing of the file is kept.
                raise ServiceError(error.message, field="file") from error
    return ImportReport(len(table.rows), len(parsed), [], 0)
