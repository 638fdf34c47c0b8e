"""Inputs of the quota engine: the workforce `Snapshot`, the `Period`, and their vocabularies.

The engine reads no database and no clock, so everything an evaluation depends on is in these
frozen values. They validate themselves on construction and raise `InputError` naming the field,
so a bad value is reported the same way whether it came from Python, a form or the JSON CLI.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import TypeVar


class QuotaError(Exception):
    """Base of every error the quota engine raises on purpose."""


class InputError(QuotaError, ValueError):
    """A snapshot or period is invalid; `field` names the offending input, dotted."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def within(self, prefix: str) -> InputError:
        """The same error, located inside a containing document (`snapshots[2]`...)."""
        return InputError(f"{prefix}.{self.field}" if self.field else prefix, self.message)


class Sector(enum.StrEnum):
    CENTRAL_GOVERNMENT = "central_government"
    REGIONAL_GOVERNMENT = "regional_government"
    SOE = "soe"  # BUMN
    REGIONAL_SOE = "regional_soe"  # BUMD
    PRIVATE = "private"


class EmploymentType(enum.StrEnum):
    PERMANENT = "permanent"  # PKWTT
    FIXED_TERM = "fixed_term"  # PKWT
    DAILY = "daily"
    PART_TIME = "part_time"
    OUTSOURCED = "outsourced"
    INTERN = "intern"
    PNS = "pns"
    PPPK = "pppk"
    HONORER = "honorer"


class DisabilityCategory(enum.StrEnum):
    """Ragam disabilitas, UU 8/2016 Pasal 4. Stored as a category, never a diagnosis."""

    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    SENSORY = "sensory"
    MULTIPLE = "multiple"


class EvidenceType(enum.StrEnum):
    KPD = "kpd"  # Kartu Penyandang Disabilitas
    MEDICAL_LETTER = "medical_letter"
    ULD_ASSESSMENT = "uld_assessment"
    SELF_DECLARATION = "self_declaration"


class LegalForm(enum.StrEnum):
    """Legal forms whose sector is ambiguous (LAW.md row 1); `None` on a snapshot means ordinary."""

    SOE_SUBSIDIARY = "soe_subsidiary"
    REGIONAL_SOE_SUBSIDIARY = "regional_soe_subsidiary"
    COOPERATIVE = "cooperative"
    FOUNDATION = "foundation"


E = TypeVar("E", bound=enum.StrEnum)


class Status(enum.StrEnum):
    COMPLIANT = "compliant"
    SHORTFALL = "shortfall"
    NO_OBLIGATION = "no_obligation"
    INSUFFICIENT_DATA = "insufficient_data"


# Kemendagri codes: province "34", regency/city "34.02", district "34.02.01",
# village "34.02.01.2001".
_REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_JURISDICTION = re.compile(r"[A-Z]{2}")


def is_region_code(code: str) -> bool:
    return _REGION_CODE.fullmatch(code) is not None


def region_contains(outer: str, inner: str) -> bool:
    """True when region `inner` lies in (or is) region `outer`: "34" contains "34.02"."""
    return inner == outer or inner.startswith(outer + ".")


def coerce(enum_type: type[E], value: object, field_name: str) -> E:
    """An enum member from itself or from its code string (what a form or database gives)."""
    if isinstance(value, enum_type):
        return value
    if not isinstance(value, str):
        raise InputError(field_name, f"must be a code string, got {value!r}")
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise InputError(field_name, f"unknown value {value!r} (allowed: {allowed})") from None


def check_count(value: object, field_name: str) -> int:
    """A head count: a non-negative integer; bools and Decimals are refused on purpose."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(field_name, f"must be a whole number, got {value!r}")
    if value < 0:
        raise InputError(field_name, f"must not be negative, got {value}")
    return value


#: Everything the counting rules read of a person: (categories, evidence, employment type,
#: verified, weekly hours). One tuple object per distinct value (`_KINDS`), so a roster is
#: grouped by identity at C speed: a roster of 20,000 has a handful of kinds.
PersonKind = tuple[
    frozenset[DisabilityCategory], EvidenceType, EmploymentType, bool, Decimal | None
]
_KINDS: dict[PersonKind, PersonKind] = {}
_KINDS_BY_ID: dict[int, PersonKind] = {}
_KIND = attrgetter("kind")


def _kind(key: PersonKind) -> PersonKind:
    kind = _KINDS.setdefault(key, key)  # atomic: one object per value, whichever thread won
    _KINDS_BY_ID[id(kind)] = kind
    return kind


#: Within `counting_once()`, each tuple of people counted (kept beside its counts, so its id
#: stays its own), by id; nothing is kept once the block ends.
_COUNTED: ContextVar[dict[int, tuple[tuple[DisabledEmployee, ...], dict[PersonKind, int]]]]
_COUNTED = ContextVar("counted")


@contextmanager
def counting_once() -> Iterator[None]:
    """Snapshots built in this block with the very same tuple of people (the same staff month
    after month) count its kinds once, not once a month (bench/gap_page.py)."""
    token = _COUNTED.set({})
    try:
        yield
    finally:
        _COUNTED.reset(token)


def kinds_of(people: Sequence[DisabledEmployee]) -> dict[PersonKind, int]:
    """How many of `people` are of each kind."""
    counted = _COUNTED.get(None)
    if counted is None or not isinstance(people, tuple):
        return {_KINDS_BY_ID[i]: n for i, n in Counter(map(id, map(_KIND, people))).items()}
    known = counted.get(id(people))
    if known is None or known[0] is not people:
        known = counted[id(people)] = (people, kinds_of(list(people)))
    return known[1]


@dataclass(frozen=True, slots=True)
class DisabledEmployee:
    """One person with a disability on the roster. Counts once whatever the number of categories."""

    categories: frozenset[DisabilityCategory]
    evidence: EvidenceType
    employment_type: EmploymentType
    is_verified: bool = False
    weekly_hours: Decimal | None = None  # only packs with hours bands read it
    ref: str | None = None  # a pseudonymous roster reference, never a name
    kind: PersonKind = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen: normalising code strings to enum members goes through object.__setattr__.
        if not self.categories or isinstance(self.categories, str):
            raise InputError("categories", "at least one disability category is needed")
        categories = frozenset(
            coerce(DisabilityCategory, category, "categories") for category in self.categories
        )
        object.__setattr__(self, "categories", categories)
        object.__setattr__(self, "evidence", coerce(EvidenceType, self.evidence, "evidence"))
        kind = coerce(EmploymentType, self.employment_type, "employment_type")
        object.__setattr__(self, "employment_type", kind)
        if not isinstance(self.is_verified, bool):
            raise InputError("is_verified", "must be true or false")
        hours = self.weekly_hours
        if hours is not None:
            if isinstance(hours, bool) or not isinstance(hours, int | Decimal):
                raise InputError("weekly_hours", f"must be a decimal number, got {hours!r}")
            if not Decimal(hours).is_finite() or hours < 0:
                raise InputError("weekly_hours", "must be a finite, non-negative number")
        key = (categories, self.evidence, kind, self.is_verified, hours)
        object.__setattr__(self, "kind", _kind(key))


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The workforce of one organisation (or establishment) on one date.

    `headcount` maps an employment type to a count; a missing type means 0 and `None` means
    "not known", which makes the result `insufficient_data` if the pack counts that type.
    `toggles` override the pack's counting defaults (e.g. `count_outsourced`), `attributes` are
    facts a pack may ask about (e.g. `high_tech` for the repealed PP 43/1998 rule).
    """

    as_of: date
    sector: Sector
    headcount: Mapping[EmploymentType, int | None]
    disabled_employees: tuple[DisabledEmployee, ...] = ()
    region: str | None = None
    jurisdiction: str = "ID"
    legal_form: LegalForm | None = None
    toggles: Mapping[str, bool] = field(default_factory=dict)
    attributes: frozenset[str] = frozenset()
    #: How many disabled employees are of each kind (what the counting rules read).
    kinds: Mapping[PersonKind, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.as_of, datetime) or not isinstance(self.as_of, date):
            raise InputError("as_of", f"must be a date, got {self.as_of!r}")
        object.__setattr__(self, "sector", coerce(Sector, self.sector, "sector"))
        if not isinstance(self.jurisdiction, str) or not _JURISDICTION.fullmatch(self.jurisdiction):
            raise InputError("jurisdiction", "must be a two-letter country code such as 'ID'")
        if self.region is not None and (
            not isinstance(self.region, str) or not is_region_code(self.region)
        ):
            raise InputError(
                "region", f"must be a Kemendagri code like '34.02', got {self.region!r}"
            )
        if self.legal_form is not None:
            object.__setattr__(self, "legal_form", coerce(LegalForm, self.legal_form, "legal_form"))
        headcount: dict[EmploymentType, int | None] = {}
        for key, count in self.headcount.items():
            kind = coerce(EmploymentType, key, f"headcount.{key}")
            headcount[kind] = None if count is None else check_count(count, f"headcount.{kind}")
        object.__setattr__(self, "headcount", headcount)
        object.__setattr__(self, "attributes", frozenset(self.attributes))
        for name, value in self.toggles.items():
            if not isinstance(value, bool):
                raise InputError(f"toggles.{name}", "must be true or false")
        object.__setattr__(self, "disabled_employees", tuple(self.disabled_employees))
        if set(map(type, self.disabled_employees)) - {DisabledEmployee}:  # at C speed first
            for index, person in enumerate(self.disabled_employees):
                if not isinstance(person, DisabledEmployee):
                    raise InputError(f"disabled_employees[{index}]", "must be a DisabledEmployee")
        self._check_roster_fits()

    def _check_roster_fits(self) -> None:
        # Each disabled employee is one of the workers counted in `headcount`, so a roster
        # larger than the workforce of its type is a data error, not a surplus.
        object.__setattr__(self, "kinds", kinds_of(self.disabled_employees))
        per_type: Counter[EmploymentType] = Counter()
        for (_categories, _evidence, kind, _verified, _hours), persons in self.kinds.items():
            per_type[kind] += persons
        for kind, disabled in per_type.items():
            workforce = self.headcount.get(kind, 0)
            if workforce is not None and disabled > workforce:
                raise InputError(
                    "disabled_employees",
                    f"{disabled} disabled employees of type {kind.value!r} but only "
                    f"{workforce} workers of that type in headcount.{kind.value}",
                )

    def headcount_of(self, kind: EmploymentType) -> int | None:
        return self.headcount.get(kind, 0)


@dataclass(frozen=True, slots=True)
class Period:
    """Monthly snapshots of one organisation, e.g. a year for the annual declaration."""

    snapshots: tuple[Snapshot, ...]
    label: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "snapshots", tuple(self.snapshots))
        if not self.snapshots:
            raise InputError("snapshots", "a period needs at least one monthly snapshot")
        first = self.snapshots[0]
        months: dict[tuple[int, int], int] = {}
        for index, snapshot in enumerate(self.snapshots):
            where = f"snapshots[{index}]"
            if not isinstance(snapshot, Snapshot):
                raise InputError(where, "must be a Snapshot")
            month = (snapshot.as_of.year, snapshot.as_of.month)
            if month in months:
                raise InputError(
                    f"{where}.as_of",
                    f"month {month[0]}-{month[1]:02d} already in snapshots[{months[month]}]",
                )
            months[month] = index
            # A period is one organisation's declaration: its sector and country do not change.
            if snapshot.sector != first.sector:
                raise InputError(f"{where}.sector", "differs from the period's first snapshot")
            if snapshot.jurisdiction != first.jurisdiction:
                raise InputError(
                    f"{where}.jurisdiction", "differs from the period's first snapshot"
                )

    @property
    def ordered(self) -> tuple[Snapshot, ...]:
        return tuple(sorted(self.snapshots, key=lambda snapshot: snapshot.as_of))
