"""Who on the roster counts in which month, and why not: the quota's numerator, person by person.

Only the engine decides how many people count; this module decides *who is handed to it*:
an employee employed in the month, with an active consent (UU 27/2022 Pasal 26(3): without it
their disability data may not be processed at all), a recorded category and evidence that had
not expired before the month began. Everyone else gets a reason, shown on the ledger page.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import null, select
from sqlalchemy.orm import Session

from compliance.models.people import Employee, VerificationState
from compliance.quota import DisabledEmployee, EmploymentType
from compliance.services import read_ahead
from compliance.services.dates import add_months
from compliance.services.declarations.reuse import reused
from compliance.services.roster import DETAIL_COLUMNS, DisabilityDetails, details_from

#: What the quota, its ledger and an evidence pack read of a person's details: never the
#: accommodation or the evidence number, which are then not even decrypted for them.
QUOTA_DETAILS = (
    "disability_categories",
    "evidence_type",
    "evidence_date",
    "evidence_expires_on",
    "verification_state",
    "verified_at",
)

#: A person's reason in each month of a span, in the span's order.
MonthReasons = tuple["LedgerReason", ...]


class LedgerReason(enum.StrEnum):
    COUNTED = "counted"
    COUNTED_UNVERIFIED = "counted_unverified"
    NO_CONSENT = "no_consent"
    NOT_EMPLOYED = "not_employed"
    NO_CATEGORY = "no_category"
    NO_EVIDENCE = "no_evidence"
    EVIDENCE_EXPIRED = "evidence_expired"

    @property
    def counts(self) -> bool:
        return self in {LedgerReason.COUNTED, LedgerReason.COUNTED_UNVERIFIED}


@dataclass(frozen=True, slots=True)
class RosterPerson:
    """One roster entry as the quota sees it; `details` is None without an active consent."""

    employee_id: int
    employee_number: str
    name: str
    establishment_id: int
    employment_type: EmploymentType
    start_date: date
    end_date: date | None
    details: DisabilityDetails | None

    def reason_in(self, month: date) -> LedgerReason:
        """Why this person does or does not count in `month` (the 1st of the month)."""
        month_end = add_months(month, 1)
        if self.start_date >= month_end or (self.end_date is not None and self.end_date < month):
            return LedgerReason.NOT_EMPLOYED
        if self.details is None:
            return LedgerReason.NO_CONSENT
        if not self.details.categories:
            return LedgerReason.NO_CATEGORY
        if self.details.evidence_type is None:
            return LedgerReason.NO_EVIDENCE
        expires = self.details.evidence_expires_on
        if expires is not None and expires < month:
            return LedgerReason.EVIDENCE_EXPIRED
        if self.details.verification_state is VerificationState.VERIFIED:
            return LedgerReason.COUNTED
        return LedgerReason.COUNTED_UNVERIFIED

    @property
    def facts(self) -> tuple[object, ...]:
        """Everything `reason_in` reads: people with the same facts have the same reasons."""
        details = self.details
        if details is None:
            return (self.start_date, self.end_date)
        return (
            self.start_date,
            self.end_date,
            bool(details.categories),
            details.evidence_type is not None,
            details.evidence_expires_on,
            details.verification_state,
        )

    @property
    def can_count(self) -> bool:
        """Whether any month could count this person (consent, category and evidence given)."""
        details = self.details
        return bool(details and details.categories and details.evidence_type is not None)

    def as_disabled_employee(self) -> DisabledEmployee:
        """The engine's view: a pseudonymous reference, never the name."""
        assert self.details is not None
        assert self.details.evidence_type is not None
        return DisabledEmployee(
            categories=frozenset(self.details.categories),
            evidence=self.details.evidence_type,
            employment_type=self.employment_type,
            is_verified=self.details.verification_state is VerificationState.VERIFIED,
            ref=str(self.employee_id),
        )

    def canonical(self) -> dict[str, object]:
        """What the input hash covers for this person (ids and codes, no name)."""
        person = self.as_disabled_employee()
        return {
            "ref": person.ref,
            "establishment_id": self.establishment_id,
            "employment_type": person.employment_type.value,
            "categories": sorted(c.value for c in person.categories),
            "evidence": person.evidence.value,
            "is_verified": person.is_verified,
        }


def roster_people(
    session: Session, organization_id: int, *, detail_columns: Sequence[str] = DETAIL_COLUMNS
) -> list[RosterPerson]:
    """The organisation's roster, read within the session's tenant reach: the one reader of
    its disability data for the quota, the ledger, receipts and evidence packs.

    Read once per unit of work (`reuse`: the gap page and the status of record both ask).
    Two column queries instead of ORM objects (a 20,000-person roster loads several times
    faster, bench/gap_page.py): everyone's employment facts, then the disability fields of
    those with an active consent only (`Employee.has_active_consent`), so nothing else is even
    decrypted. `detail_columns` narrows what is read (a pack never shows the accommodation or
    the evidence number, so they are not decrypted for it either).
    """
    key = ("roster_people", organization_id, tuple(detail_columns))
    return list(reused(session, key, lambda: _read(session, organization_id, detail_columns)))


#: What the roster readers read of everyone (then the details of those with consent).
EMPLOYEE_COLUMNS = (
    Employee.id,
    Employee.employee_number,
    Employee.name,
    Employee.establishment_id,
    Employee.employment_type,
    Employee.start_date,
    Employee.end_date,
)


def detail_select(detail_columns: Sequence[str]) -> list[Any]:
    """The id and the `DETAIL_COLUMNS`, a column not asked for read as NULL: nothing is
    decrypted for it and `details_from` finds every name it looks for."""
    return [
        Employee.id,
        *(
            getattr(Employee, name) if name in detail_columns else null().label(name)
            for name in DETAIL_COLUMNS
        ),
    ]


def _read(
    session: Session, organization_id: int, detail_columns: Sequence[str]
) -> list[RosterPerson]:
    ahead = read_ahead.roster_of(session, organization_id, detail_columns)
    if ahead is not None:
        employees, detail_rows = ahead
    else:
        detail_rows = list(
            session.execute(
                select(*detail_select(detail_columns)).where(
                    Employee.organization_id == organization_id, Employee.has_active_consent
                )
            )
        )
        employees = list(
            session.execute(
                select(*EMPLOYEE_COLUMNS)
                .where(Employee.organization_id == organization_id)
                .order_by(Employee.employee_number, Employee.id)
            )
        )
    details = _details_by_id(detail_rows)
    if not employees:
        return []
    names = ("id", "employee_number", "name", "establishment_id", "employment_type")
    pick = _picker(employees, (*names, "start_date", "end_date"))
    found = []
    for row in employees:
        employee_id, number, name, establishment_id, kind, start, end = pick(row)
        found.append(
            RosterPerson(
                employee_id=employee_id,
                employee_number=number,
                name=name,
                establishment_id=establishment_id,
                employment_type=kind,
                start_date=start,
                end_date=end,
                details=details.get(employee_id),
            )
        )
    return found


def _picker(rows: Sequence[Any], names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The named columns of a row of `rows` as a plain tuple, taken by position: a row's
    lookup by name costs several times its index, and a roster is 20,000 rows of a dozen
    columns (bench/gap_page.py). A job's rows read ahead hold the organisation id first, so
    the positions come from the rows themselves."""
    fields = rows[0]._fields
    return itemgetter(*(fields.index(name) for name in names))


def _details_by_id(rows: Sequence[Any]) -> dict[int, DisabilityDetails]:
    """`details_from` each row (of `detail_select`), by employee id. Read for the quota, a
    roster repeats a few sets of values (category list, evidence type and dates, state), so
    each distinct set is built once and shared: the details are frozen and compare by value,
    so a person holding an equal set holds what they would have been given."""
    if not rows:
        return {}
    pick = _picker(rows, ("id", *DETAIL_COLUMNS))
    shared: dict[tuple[Any, ...], DisabilityDetails] = {}
    found = {}
    for row in rows:
        employee_id, categories, *rest = pick(row)
        key = (tuple(categories or ()), *rest)
        details = shared.get(key)
        if details is None:
            details = shared[key] = details_from(row)
        found[employee_id] = details
    return found


def month_reasons(
    people: Iterable[RosterPerson], months: Sequence[date]
) -> dict[int, MonthReasons]:
    """Each person's reason in each of `months`, worked out once per distinct set of facts
    (a roster of 20,000 has a few hundred: start dates, expiry dates, states)."""
    known: dict[tuple[object, ...], MonthReasons] = {}
    found = {}
    for person in people:
        facts = person.facts
        reasons = known.get(facts)
        if reasons is None:
            reasons = known[facts] = tuple(person.reason_in(m) for m in months)
        found[person.employee_id] = reasons
    return found


def counting_by_month(reasons: Mapping[int, MonthReasons], months: int) -> list[set[int]]:
    """Who counts in each of `months` months: people sharing their reasons (`month_reasons`
    hands out one tuple per set of facts) are judged together, and months where the same
    groups count share one set (to read, not to change): most months count whom the month
    before counted, and a roster is thousands of people."""
    groups: dict[int, tuple[MonthReasons, list[int]]] = {}
    for employee_id, mine in reasons.items():
        groups.setdefault(id(mine), (mine, []))[1].append(employee_id)
    found: list[set[int]] = []
    previous: list[int] | None = None
    for index in range(months):
        counting = [key for key, (mine, _ids) in groups.items() if mine[index].counts]
        if counting != previous:
            people: set[int] = set()
            for key in counting:
                people.update(groups[key][1])
        found.append(people)
        previous = counting
    return found


def engine_views(people: Iterable[RosterPerson]) -> dict[int, DisabledEmployee]:
    """The engine's view of everyone who could count, by employee id."""
    return {p.employee_id: p.as_disabled_employee() for p in people if p.can_count}
