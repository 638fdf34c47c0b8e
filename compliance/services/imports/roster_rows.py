"""Validating a roster import: every row, every cell, consent first.

The rules are the roster services' (`roster._check_core`, `disability._check_disability`,
`consent.record_consent`) applied to a whole file. Disability columns on a row without the
consent columns are an error: the file cannot smuggle in what the form refuses. An old file
cannot revive a withdrawn consent either: a consent dated on or before the withdrawal is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.imports import ImportKind
from compliance.models.people import ConsentGiver, ConsentMethod, ConsentRecord, Employee
from compliance.quota.model import DisabilityCategory, EmploymentType, EvidenceType
from compliance.services.consent import CONSENT_TEXTS
from compliance.services.dates import today_in_indonesia
from compliance.services.disability import ACCOMMODATION_MAX, EVIDENCE_NUMBER_MAX
from compliance.services.imports.checks import Cells, Errors, Establishments, check_header
from compliance.services.imports.reading import Table
from compliance.services.imports.spec import CONSENT_COLUMNS, DISABILITY_COLUMNS, LIST_SEPARATORS

# Codes as plain tuples: looking them up on the enums for every row costs more than the checks.
_TYPES = tuple(t.value for t in EmploymentType)
_CATEGORIES = tuple(c.value for c in DisabilityCategory)
_GIVERS = tuple(g.value for g in ConsentGiver)
_METHODS = tuple(m.value for m in ConsentMethod)
_EVIDENCE_TYPES = tuple(t.value for t in EvidenceType)
_GUARDIAN = ConsentGiver.GUARDIAN.value


@dataclass(frozen=True, slots=True)
class ConsentIn:
    given_by: ConsentGiver
    guardian_name: str | None
    method: ConsentMethod
    given_on: date
    version: str


@dataclass(frozen=True, slots=True)
class DetailsIn:
    categories: list[str]
    accommodation: str | None
    evidence_type: EvidenceType | None
    evidence_number: str | None
    evidence_date: date | None
    evidence_expires_on: date | None


@dataclass(frozen=True, slots=True)
class RosterRow:
    employee_number: str
    name: str
    establishment_id: int
    employment_type: EmploymentType
    start_date: date
    end_date: date | None
    consent: ConsentIn | None
    details: DetailsIn | None


@dataclass(frozen=True, slots=True)
class ConsentState:
    """What the database knows about an existing employee's consent."""

    employee_id: int
    establishment_id: int
    has_active: bool
    last_withdrawn_at: datetime | None


def consent_states(session: Session, organization_id: int) -> dict[str, ConsentState]:
    employees = session.execute(
        select(Employee.id, Employee.employee_number, Employee.establishment_id).where(
            Employee.organization_id == organization_id
        )
    ).all()
    active: set[int] = set()
    withdrawn: dict[int, datetime] = {}
    for employee_id, withdrawn_at in session.execute(
        select(ConsentRecord.employee_id, ConsentRecord.withdrawn_at).where(
            ConsentRecord.organization_id == organization_id
        )
    ):
        if withdrawn_at is None:
            active.add(employee_id)
        elif employee_id not in withdrawn or withdrawn[employee_id] < withdrawn_at:
            withdrawn[employee_id] = withdrawn_at
    return {
        number: ConsentState(e_id, est_id, e_id in active, withdrawn.get(e_id))
        for e_id, number, est_id in employees
    }


def validate_roster(
    session: Session, organization_id: int, table: Table, errors: Errors
) -> list[RosterRow]:
    positions = check_header(table.header, ImportKind.ROSTER, errors)
    if errors.count:
        return []
    establishments = Establishments(session, organization_id)
    states = consent_states(session, organization_id)
    today = today_in_indonesia()
    seen: dict[str, int] = {}
    parsed: list[RosterRow] = []
    for number, raw in table.rows:
        cells = Cells(number, raw, positions, errors)
        before = errors.count
        employee_number = cells.text("employee_number", required=True, max_length=50)
        name = cells.text("name", required=True, max_length=200)
        establishment = establishments.find(cells)
        state = states.get(employee_number)
        if (
            establishment is not None
            and not establishment.is_open
            and (state is None or state.establishment_id != establishment.id)
        ):
            cells.error("establishment", "closed_establishment", value=establishment.name)
        kind = cells.choice("employment_type", _TYPES, required=True)
        start = cells.date("start_date", required=True)
        end = cells.date("end_date")
        if start and end and end < start:
            cells.error("end_date", "end_before_start")
        if employee_number:
            other = seen.setdefault(employee_number, number)
            if other != number:
                cells.error(
                    "employee_number", "duplicate_employee", value=employee_number, other=other
                )
        has_consent = any(cells.text(c) for c in CONSENT_COLUMNS)
        consent = _consent(cells, state, today) if has_consent else None
        details = _details(cells, today)
        if details is not None and not has_consent:
            cells.error("consent_given_by", "consent_needed")
        if errors.count == before and establishment is not None and start is not None:
            parsed.append(
                RosterRow(
                    employee_number,
                    name,
                    establishment.id,
                    EmploymentType(kind),
                    start,
                    end,
                    consent,
                    details,
                )
            )
    return parsed


def _consent(cells: Cells, state: ConsentState | None, today: date) -> ConsentIn | None:
    given_by = cells.choice("consent_given_by", _GIVERS)
    method = cells.choice("consent_method", _METHODS)
    given_on = cells.date("consent_date")
    version = cells.text("consent_text_version")
    guardian = cells.text("consent_guardian_name", max_length=200)
    if not (given_by and method and given_on and version):
        cells.error("consent_given_by", "consent_incomplete")
        return None
    if version not in CONSENT_TEXTS:
        cells.error("consent_text_version", "unknown_consent_version", value=version)
        return None
    if given_on > today:
        cells.error("consent_date", "future_date", value=given_on.isoformat())
        return None
    if given_by == _GUARDIAN and not guardian:
        cells.error("consent_guardian_name", "guardian_name_needed")
        return None
    if (
        state is not None
        and not state.has_active
        and state.last_withdrawn_at is not None
        and given_on <= state.last_withdrawn_at.date()
    ):
        cells.error(
            "consent_date", "consent_withdrawn", value=state.last_withdrawn_at.date().isoformat()
        )
        return None
    return ConsentIn(
        ConsentGiver(given_by),
        guardian if given_by == _GUARDIAN else None,
        ConsentMethod(method),
        given_on,
        version,
    )


def _details(cells: Cells, today: date) -> DetailsIn | None:
    if not any(cells.text(c) for c in DISABILITY_COLUMNS):
        return None
    raw = cells.text("disability_categories").lower()
    for separator in LIST_SEPARATORS[1:]:
        raw = raw.replace(separator, LIST_SEPARATORS[0])
    chosen = {part.strip() for part in raw.split(LIST_SEPARATORS[0]) if part.strip()}
    unknown = sorted(chosen - set(_CATEGORIES))
    if unknown:
        cells.error(
            "disability_categories",
            "unknown_category",
            value=", ".join(unknown),
            allowed=", ".join(_CATEGORIES),
        )
    elif not chosen:
        cells.error("disability_categories", "categories_needed")
    accommodation = cells.text("accommodation", max_length=ACCOMMODATION_MAX)
    evidence_type = cells.text("evidence_type").lower()
    if evidence_type and evidence_type not in _EVIDENCE_TYPES:
        cells.error(
            "evidence_type",
            "unknown_evidence_type",
            value=evidence_type,
            allowed=", ".join(_EVIDENCE_TYPES),
        )
        evidence_type = ""
    evidence_number = cells.text("evidence_number", max_length=EVIDENCE_NUMBER_MAX)
    evidence_date = cells.date("evidence_date")
    expires = cells.date("evidence_expires_on")
    has_evidence = evidence_number or evidence_date or expires
    if not evidence_type and has_evidence and not cells.text("evidence_type"):
        cells.error("evidence_type", "evidence_type_needed")
    if evidence_date and evidence_date > today:
        cells.error("evidence_date", "future_date", value=evidence_date.isoformat())
    if evidence_date and expires and expires < evidence_date:
        cells.error("evidence_expires_on", "expiry_before_evidence")
    return DetailsIn(
        [c for c in _CATEGORIES if c in chosen],
        accommodation or None,
        EvidenceType(evidence_type) if evidence_type else None,
        evidence_number or None,
        evidence_date,
        expires,
    )
