"""Inputs of the quota engine: the workforce `Snapshot`, the `Period`, and their vocabularies.

The engine reads no database and no clock, so everything an evaluation depends on is in these
frozen values. They validate themselves on construction and raise `InputError` naming the field,
so a bad value is reported the same way whether it came from Python, a form or the JSON CLI.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter

from compliance.quota.vocab import (
    DisabilityCategory,
    EmploymentType,
    EvidenceType,
    InputError,
    LegalForm,
    Sector,
    check_count,
    coerce,
    is_region_code,
)

_JURISDICTION = re.compile(r"[A-Z]{2}")

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
    """How many of `people` are of each kind; anything else among them is an `InputError`
    (checked with the count, so a tuple counted once is checked once)."""
    counted = _COUNTED.get(None)
    if counted is None or not isinstance(people, tuple):
        if set(map(type, people)) - {DisabledEmployee}:  # at C speed first
            for index, person in enumerate(people):
                if not isinstance(person, DisabledEmployee):
                    raise InputError(f"disabled_employees[{index}]", "must be a DisabledEmployee")
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
        if not isinstance(self.is_verified, bool):
            raise InputError("is_verified", "must be true or false")
        hours = self.weekly_hours
        if hours is not None:
            if isinstance(hours, bool) or not isinstance(hours, int | Decimal):
                raise InputError("weekly_hours", f"must be a decimal number, got {hours!r}")
            if not Decimal(hours).is_finite() or hours < 0:
                raise InputError("weekly_hours", "must be a finite, non-negative number")
        kind = _checked_kind(
            self.categories, self.evidence, self.employment_type, self.is_verified, hours
        )
        object.__setattr__(self, "categories", kind[0])
        object.__setattr__(self, "evidence", kind[1])
        object.__setattr__(self, "employment_type", kind[2])
        object.__setattr__(self, "kind", kind)


#: Facts as given (code strings or members) that passed the checks, with the kind they make:
#: a roster of 20,000 repeats a handful, so each is coerced once per process, not once a
#: person (bench/gap_page.py). Only what passed is kept; plain codes, linked to nobody.
_CHECKED: dict[tuple[object, ...], PersonKind] = {}
_CHECKED_MAX = 4096


def _checked_kind(
    categories: Iterable[object],
    evidence: object,
    employment: object,
    verified: bool,
    hours: Decimal | None,
) -> PersonKind:
    """The kind of a person with these facts, coercing each code (and naming the field that
    is wrong) the first time they are seen. `is_verified` and `hours` are checked by the
    caller first, so `True` is never taken for a cached `1`."""
    given: tuple[object, ...] | None = None
    try:
        given = (frozenset(categories), evidence, employment, verified, hours)
        kind = _CHECKED.get(given)
    except TypeError:  # something unhashable: the checks below name the field
        given = None
    else:
        if kind is not None:
            return kind
    checked = frozenset(
        coerce(DisabilityCategory, category, "categories") for category in categories
    )
    kind = _kind(
        (
            checked,
            coerce(EvidenceType, evidence, "evidence"),
            coerce(EmploymentType, employment, "employment_type"),
            verified,
            hours,
        )
    )
    if given is not None:
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[given] = kind
    return kind


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
        _check_region(self.region)
        if self.legal_form is not None:
            object.__setattr__(self, "legal_form", coerce(LegalForm, self.legal_form, "legal_form"))
        object.__setattr__(self, "headcount", _checked_headcount(self.headcount))
        object.__setattr__(self, "attributes", frozenset(self.attributes))
        for name, value in self.toggles.items():
            if not isinstance(value, bool):
                raise InputError(f"toggles.{name}", "must be true or false")
        object.__setattr__(self, "disabled_employees", tuple(self.disabled_employees))
        self._check_roster_fits()  # `kinds_of` refuses anything but a `DisabledEmployee`

    def _check_roster_fits(self) -> None:
        object.__setattr__(self, "kinds", kinds_of(self.disabled_employees))
        check_roster_fits(self.headcount, self.kinds)

    def headcount_of(self, kind: EmploymentType) -> int | None:
        return self.headcount.get(kind, 0)


def _check_region(region: object) -> None:
    if region is not None and (not isinstance(region, str) or not is_region_code(region)):
        raise InputError("region", f"must be a Kemendagri code like '34.02', got {region!r}")


def _checked_headcount(
    given: Mapping[EmploymentType, int | None],
) -> dict[EmploymentType, int | None]:
    headcount: dict[EmploymentType, int | None] = {}
    for key, count in given.items():
        kind = coerce(EmploymentType, key, f"headcount.{key}")
        headcount[kind] = None if count is None else check_count(count, f"headcount.{kind}")
    return headcount


def check_part(
    region: str | None,
    headcount: Mapping[EmploymentType, int | None],
    people: tuple[DisabledEmployee, ...],
) -> None:
    """Raise `InputError` whenever `Snapshot(as_of, sector, headcount, people, region)` would,
    given that a snapshot of the same `as_of` and `sector` was accepted (the legal entity's of
    that month): what a breakdown nobody reads must still refuse, without being built."""
    _check_region(region)
    check_roster_fits(_checked_headcount(headcount), kinds_of(people))


def fits_with_nobody(region: str | None, counts: Iterable[int | None]) -> bool:
    """Whether `check_part` accepts this region with any headcount whose counts are among
    `counts` (or unknown) and nobody on the roster: what a caller checks once per part
    instead of once a month."""
    try:
        _check_region(region)
        for count in counts:
            if count is not None:
                check_count(count, "headcount")
    except InputError:
        return False
    return True


def check_roster_fits(
    headcount: Mapping[EmploymentType, int | None], kinds: Mapping[PersonKind, int]
) -> None:
    """Raise `InputError` as a `Snapshot` of this headcount and these people (`kinds_of`)
    would: each disabled employee is one of the workers counted in `headcount`, so a roster
    larger than the workforce of its type is a data error, not a surplus. Its own function so
    a caller that needs no snapshot of a part (an establishment, when only the legal entity
    is evaluated) refuses exactly what the snapshot refuses without building it."""
    per_type: Counter[EmploymentType] = Counter()
    for (_categories, _evidence, kind, _verified, _hours), persons in kinds.items():
        per_type[kind] += persons
    for kind, disabled in per_type.items():
        workforce = headcount.get(kind, 0)
        if workforce is not None and disabled > workforce:
            raise InputError(
                "disabled_employees",
                f"{disabled} disabled employees of type {kind.value!r} but only "
                f"{workforce} workers of that type in headcount.{kind.value}",
            )


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
