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
from compliance.quota.vocab import DisabilityCategory, EmploymentType, EvidenceType
from compliance.services.consent import CONSENT_TEXTS
from compliance.services.dates import organization_today
from compliance.services.disability import ACCOMMODATION_MAX, EVIDENCE_NUMBER_MAX
from compliance.services.imports.checks import (
    Errors,
    EstablishmentRef,
    Establishments,
    check_header,
)
from compliance.services.imports.columns import Sheet
from compliance.services.imports.reading import Table
from compliance.services.imports.spec import (
    CONSENT_COLUMNS,
    DISABILITY_COLUMNS,
    LIST_SEPARATORS,
    ROSTER_COLUMNS,
)

# Codes as plain tuples: looking them up on the enums for every row costs more than the checks.
_TYPES = tuple(t.value for t in EmploymentType)
_CATEGORIES = tuple(c.value for c in DisabilityCategory)
_GIVERS = tuple(g.value for g in ConsentGiver)
_METHODS = tuple(m.value for m in ConsentMethod)
_EVIDENCE_TYPES = tuple(t.value for t in EvidenceType)
_GUARDIAN = ConsentGiver.GUARDIAN.value
_TYPE = {t.value: t for t in EmploymentType}
_GIVER = {g.value: g for g in ConsentGiver}
_METHOD = {m.value: m for m in ConsentMethod}
_EVIDENCE_TYPE = {t.value: t for t in EvidenceType}


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
    """Every row checked; the rows to write, or [] when anything in the file is wrong.

    The file is checked a column at a time (`columns.Sheet`), then the rules that tie cells of
    a row together run row by row over the columns' results.
    """
    positions = check_header(table.header, ImportKind.ROSTER, errors)
    if errors.count:
        return []
    sheet = Sheet(table, positions, ROSTER_COLUMNS, errors)
    states = consent_states(session, organization_id)
    today = organization_today(session, organization_id)
    numbers = sheet.text("employee_number", required=True, max_length=50)
    names = sheet.text("name", required=True, max_length=200)
    establishments = _establishments(sheet, Establishments(session, organization_id), states)
    kinds = sheet.choices("employment_type", _TYPES, required=True)
    starts = sheet.dates("start_date", required=True)
    ends = sheet.dates("end_date")
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start and end and end < start:
            sheet.error(index, "end_date", "end_before_start")
    _duplicates(sheet, numbers)
    has_consent = sheet.filled(CONSENT_COLUMNS)
    consents = _consents(sheet, has_consent, numbers, states, today)
    details = _details(sheet, today)
    for index in [i for i, d in enumerate(details) if d is not None and not has_consent[i]]:
        sheet.error(index, "consent_given_by", "consent_needed")
    sheet.finish()
    if errors.count:
        return []
    return [
        RosterRow(number, name, establishment.id, _TYPE[kind], start, end, consent, detail)
        for number, name, establishment, kind, start, end, consent, detail in zip(
            numbers, names, establishments, kinds, starts, ends, consents, details, strict=True
        )
        if establishment is not None and start is not None
    ]


def _establishments(
    sheet: Sheet, known: Establishments, states: dict[str, ConsentState]
) -> list[EstablishmentRef | None]:
    """The establishment of each row; a closed one only for an employee already placed there."""
    values = sheet.text("establishment", required=True)
    found = {value: known.lookup(value) for value in set(values) - {""}}
    numbers = sheet.raw("employee_number")
    refs: list[EstablishmentRef | None] = []
    for index, value in enumerate(values):
        ref = found.get(value)
        if isinstance(ref, str):
            sheet.error(index, "establishment", ref, value=value)
            ref = None
        elif ref is not None and not ref.is_open:
            state = states.get(numbers[index])
            if state is None or state.establishment_id != ref.id:
                sheet.error(index, "establishment", "closed_establishment", value=ref.name)
        refs.append(ref)
    return refs


def _duplicates(sheet: Sheet, numbers: list[str]) -> None:
    first: dict[str, int] = {}
    for index, number in enumerate(numbers):
        if number and first.setdefault(number, index) != index:
            other = sheet.lines[first[number]]
            sheet.error(index, "employee_number", "duplicate_employee", value=number, other=other)


def _consents(
    sheet: Sheet,
    has_consent: list[bool],
    numbers: list[str],
    states: dict[str, ConsentState],
    today: date,
) -> list[ConsentIn | None]:
    givers = sheet.choices("consent_given_by", _GIVERS)
    methods = sheet.choices("consent_method", _METHODS)
    dates = sheet.dates("consent_date")
    versions = sheet.text("consent_text_version")
    guardians = sheet.text("consent_guardian_name", max_length=200)
    consents: list[ConsentIn | None] = [None] * sheet.size
    for index in [i for i, given in enumerate(has_consent) if given]:
        given_by, method, given_on = givers[index], methods[index], dates[index]
        version, guardian = versions[index], guardians[index]
        state = states.get(numbers[index])
        if not (given_by and method and given_on and version):
            sheet.error(index, "consent_given_by", "consent_incomplete")
        elif version not in CONSENT_TEXTS:
            sheet.error(index, "consent_text_version", "unknown_consent_version", value=version)
        elif given_on > today:
            sheet.error(index, "consent_date", "future_date", value=given_on.isoformat())
        elif given_by == _GUARDIAN and not guardian:
            sheet.error(index, "consent_guardian_name", "guardian_name_needed")
        elif (
            state is not None
            and not state.has_active
            and state.last_withdrawn_at is not None
            and given_on <= state.last_withdrawn_at.date()
        ):
            withdrawn = state.last_withdrawn_at.date().isoformat()
            sheet.error(index, "consent_date", "consent_withdrawn", value=withdrawn)
        else:
            consents[index] = ConsentIn(
                _GIVER[given_by],
                guardian if given_by == _GUARDIAN else None,
                _METHOD[method],
                given_on,
                version,
            )
    return consents


def _details(sheet: Sheet, today: date) -> list[DetailsIn | None]:
    has_details = sheet.filled(DISABILITY_COLUMNS)
    categories = _categories(sheet)
    accommodations = sheet.text("accommodation", max_length=ACCOMMODATION_MAX)
    kinds = sheet.choices("evidence_type", _EVIDENCE_TYPES, code="unknown_evidence_type")
    typed = sheet.raw("evidence_type")
    evidence_numbers = sheet.text("evidence_number", max_length=EVIDENCE_NUMBER_MAX)
    evidence_dates = sheet.dates("evidence_date")
    expiries = sheet.dates("evidence_expires_on")
    details: list[DetailsIn | None] = [None] * sheet.size
    for index in [i for i, given in enumerate(has_details) if given]:
        chosen = categories[index]
        if not chosen:
            sheet.error(index, "disability_categories", "categories_needed")
        kind, number = kinds[index], evidence_numbers[index]
        evidence_date, expires = evidence_dates[index], expiries[index]
        if not kind and not typed[index] and (number or evidence_date or expires):
            sheet.error(index, "evidence_type", "evidence_type_needed")
        if evidence_date and evidence_date > today:
            sheet.error(index, "evidence_date", "future_date", value=evidence_date.isoformat())
        if evidence_date and expires and expires < evidence_date:
            sheet.error(index, "evidence_expires_on", "expiry_before_evidence")
        details[index] = DetailsIn(
            list(chosen or ()),
            accommodations[index] or None,
            _EVIDENCE_TYPE[kind] if kind else None,
            number or None,
            evidence_date,
            expires,
        )
    return details


def _categories(sheet: Sheet) -> list[tuple[str, ...] | None]:
    """Each row's categories in the law's order; an unknown one is an error and reads as None.

    Lists repeat across a roster, so each distinct cell is split and checked once.
    """
    values = sheet.raw("disability_categories")
    parsed: dict[str, tuple[str, ...] | str] = {}
    for value in set(values):
        raw = value.lower()
        for separator in LIST_SEPARATORS[1:]:
            raw = raw.replace(separator, LIST_SEPARATORS[0])
        chosen = {part.strip() for part in raw.split(LIST_SEPARATORS[0]) if part.strip()}
        unknown = sorted(chosen - set(_CATEGORIES))
        parsed[value] = (
            ", ".join(unknown) if unknown else tuple(c for c in _CATEGORIES if c in chosen)
        )
    result: list[tuple[str, ...] | None] = []
    allowed = ", ".join(_CATEGORIES)
    for index, value in enumerate(values):
        found = parsed[value]
        if isinstance(found, str):
            sheet.error(
                index, "disability_categories", "unknown_category", value=found, allowed=allowed
            )
            result.append(None)
        else:
            result.append(found)
    return result
