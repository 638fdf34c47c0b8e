"""Turning the monthly figures and the roster into quota results for a span of months.

LAW.md rows 6-7: the quota is owed by the legal entity, so one `Snapshot` per month sums the
headcount of all its establishments; the same engine then gives a breakdown per establishment
and per province, and `evaluate_period` combines the months (the average of monthly results).
Regional rules (overlay packs) are evaluated on the establishments inside their region
(`overlays`), so a Bantul employer sees the Perda beside the national result.
The result is stored on a declaration as plain JSON with a SHA-256 of the canonical input, so a
submitted declaration reads the same whatever happens to the figures afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.organizations import Organization
from compliance.models.regions import Province
from compliance.quota import (
    Period,
    PeriodResult,
    QuotaResult,
    Snapshot,
    default_registry,
    evaluate_period,
)
from compliance.quota.model import counting_once
from compliance.services import read_ahead
from compliance.services.dates import month_end, month_start
from compliance.services.declarations.month_snapshots import (
    Counted,
    Headcount,
    check_parts,
    cleared_establishments,
    combined_headcount,
    month_snapshot,
)
from compliance.services.declarations.overlays import (
    RegionalResult,
    overlays_for,
    regional_results,
)
from compliance.services.declarations.reuse import kept, reused
from compliance.services.declarations.roster_facts import (
    EMPLOYEE_COLUMNS,
    QUOTA_DETAILS,
    MonthReasons,
    RosterPerson,
    counting_by_month,
    detail_select,
    engine_views,
    month_reasons,
    roster_people,
)
from compliance.services.workforce import EstablishmentFigures, WorkforceFigures, monthly_figures

FORMAT = 1


@dataclass(frozen=True, slots=True)
class Computation:
    """Everything the engine said about some months of one organisation."""

    months: tuple[date, ...]
    figures: WorkforceFigures
    people: tuple[RosterPerson, ...]
    entity: PeriodResult
    establishments: tuple[tuple[EstablishmentFigures, PeriodResult], ...]
    provinces: tuple[tuple[str, str, PeriodResult], ...]
    #: Per person (by employee id), the reason in each of `months`.
    reasons: Mapping[int, MonthReasons]
    #: Regional rules in force where establishments lie (e.g. Perda Kab. Bantul 2/2024).
    overlays: tuple[RegionalResult, ...] = ()
    #: The legal entity's snapshot of each of `months`, in order (`entity_over`).
    entity_snapshots: tuple[Snapshot, ...] = ()

    def entity_over(self, months: Sequence[date], *, label: str, today: date) -> PeriodResult:
        """The legal entity's result over some of its `months` (the complete ones, for the
        status of record), from the snapshots already built: each month's snapshot depends
        on that month alone, so this is what computing those months again gives, without
        reading or building anything again (every HR page asks it of a past period)."""
        wanted = set(months)
        kept = [s for m, s in zip(self.months, self.entity_snapshots, strict=True) if m in wanted]
        return _period(label, kept, today)

    @property
    def input_sha256(self) -> str:
        """The hash a declaration stores; worked out when asked (the gap page never does)."""
        return input_hash(self.figures, self.people, self.reasons)

    def missing(self) -> dict[date, tuple[str, ...]]:
        """Months lacking figures, with the establishments that lack them."""
        found = {m: tuple(e.name for e in self.figures.missing(m)) for m in self.months}
        return {m: names for m, names in found.items() if names}

    def ledger(
        self, people: Sequence[RosterPerson] | None = None
    ) -> list[tuple[RosterPerson, MonthReasons]]:
        """Per person (of `people`, by default everyone), the reason for each month (in
        `months` order)."""
        return [
            (p, self.reasons[p.employee_id]) for p in (self.people if people is None else people)
        ]

    def counted_in(self, index: int) -> list[RosterPerson]:
        """Who counted in `months[index]`, in roster order."""
        return [p for p in self.people if self.reasons[p.employee_id][index].counts]

    def to_data(self) -> dict[str, Any]:
        """The JSON stored on a declaration: results and pack versions, no names."""
        return {
            "format": FORMAT,
            "months": [f"{m:%Y-%m}" for m in self.months],
            "entity": self.entity.to_dict(),
            "establishments": [
                {
                    "id": e.establishment_id,
                    "name": e.name,
                    "regency_code": e.regency_code,
                    "result": _summary(result),
                }
                for e, result in self.establishments
            ],
            "provinces": [
                {"code": code, "name": name, "result": _summary(result)}
                for code, name, result in self.provinces
            ],
            "overlays": [overlay.to_data() for overlay in self.overlays],
            "packs": _packs(self.entity.months, self.overlays),
            "missing": [
                {"month": f"{m:%Y-%m}", "establishments": list(names)}
                for m, names in self.missing().items()
            ],
            "counted_refs": {
                f"{m:%Y-%m}": [str(p.employee_id) for p in self.counted_in(i)]
                for i, m in enumerate(self.months)
            },
        }


def _summary(result: PeriodResult) -> dict[str, Any]:
    """A breakdown's period result with each month reduced to its numbers (keeps JSON small)."""
    data = result.to_dict()
    keep = ("as_of", "status", "denominator", "required", "counted", "gap", "region")
    data["months"] = [{k: month[k] for k in keep} for month in data["months"]]
    return data


def _packs(
    months: Sequence[QuotaResult], overlays: Sequence[RegionalResult]
) -> list[dict[str, str]]:
    """Every rule pack used, regional ones included, with its version: effective date and
    last verification."""
    registry = default_registry()
    ids: list[str] = []
    for month in months:
        for result in (month, *month.comparisons, *month.overlays):
            if result.pack_id not in ids:
                ids.append(result.pack_id)
    ids += [o.pack.id for o in overlays if o.latest is not None and o.pack.id not in ids]
    packs = [registry.get(pack_id) for pack_id in ids]
    return [
        {
            "id": p.id,
            "effective_from": p.effective_from.isoformat(),
            "verified_on": p.verified_on.isoformat(),
        }
        for p in packs
    ]


def _period(label: str, snapshots: list[Snapshot], today: date) -> PeriodResult:
    return evaluate_period(Period(tuple(snapshots), label=label), today=today)


def compute(
    session: Session,
    organization: Organization,
    months: Sequence[date],
    *,
    label: str,
    today: date,
    breakdowns: bool = True,
    areas: bool = True,
) -> Computation:
    """Evaluate `months` (1st of each month, at least one) for the legal entity and its parts.

    Without `breakdowns` only the legal entity's result is evaluated (the status of record
    needs no more), and only its snapshots are built; the establishments' are checked as
    their snapshots would be (`check_parts`), so a month the engine refuses for one
    establishment fails the same way. Without `areas`, the establishments are evaluated but
    not the provinces and regional overlays (the monthly snapshot keeps the establishments'
    statuses only): those sum establishments that passed, so they cannot be refused either.
    Asked again in the same unit of work, it answers from the first time (`reuse`): the gap
    page and the status of record ask for the same period."""
    key = ("compute", organization.id, organization.sector, tuple(months), label, today)
    if not (breakdowns and areas):
        whole = kept(session, (*key, True, True))
        if isinstance(whole, Computation):
            return whole
    with counting_once():  # the same staff month after month (`Counted`) is counted once
        return reused(
            session,
            (*key, breakdowns, areas),
            lambda: _compute(session, organization, months, label, today, breakdowns, areas),
        )


def _compute(
    session: Session,
    organization: Organization,
    months: Sequence[date],
    label: str,
    today: date,
    breakdowns: bool,
    areas: bool = True,
) -> Computation:
    figures = figures_for(session, organization.id, months)
    people = tuple(roster_people(session, organization.id, detail_columns=QUOTA_DETAILS))
    reasons = month_reasons(people, figures.months)
    sector = organization.sector
    # Reference data, the same for every span the page asks for (the HR home asks for four).
    provinces = read_ahead.province_names(session) or reused(
        session, ("province_names",), lambda: _province_names(session)
    )
    entity: list[Snapshot] = []
    per_establishment: dict[int, list[Snapshot]] = {}
    per_province: dict[str, list[Snapshot]] = {}
    per_overlay: dict[str, list[Snapshot]] = {}
    overlay_places: dict[str, list[str]] = {}
    # Grouped and converted once: the same person appears in the entity's, the establishment's
    # and the province's snapshot of every month (a 20,000-person roster over 15 months and 50
    # establishments would otherwise build millions of engine objects; bench/gap_page.py).
    staff_of: dict[int, list[RosterPerson]] = {}
    for person in people:
        staff_of.setdefault(person.establishment_id, []).append(person)
    views = reused(session, ("engine_views", organization.id), lambda: engine_views(people))
    counted = Counted(views)
    counting_months = counting_by_month(reasons, len(figures.months))
    cleared = set() if breakdowns else cleared_establishments(figures)
    for month, counting in zip(figures.months, counting_months, strict=True):
        counted.month(counting)
        headcount = figures.headcount(month)
        entity.append(
            month_snapshot(
                month, sector, None, headcount, counted.of(people, ()), organization.name
            )
        )
        if not breakdowns:
            check_parts(month, figures, counted, staff_of, cleared)
            continue
        by_province: dict[str, list[EstablishmentFigures]] = {}
        by_overlay: dict[str, list[EstablishmentFigures]] = {}
        #: Each establishment's headcount this month, for its own snapshot and its region's.
        own: dict[int, Headcount] = {}
        for est in figures.establishments:
            if not est.expected_in(month):
                continue
            for pack in overlays_for(est.regency_code, month_end(month)):
                by_overlay.setdefault(pack.id, []).append(est)
            staff = counted.of(staff_of.get(est.establishment_id, ()), (est.establishment_id,))
            counts = own[est.establishment_id] = figures.establishment_headcount(month, est)
            snapshot = month_snapshot(month, sector, est.regency_code, counts, staff, est.name)
            per_establishment.setdefault(est.establishment_id, []).append(snapshot)
            by_province.setdefault(est.regency_code[:2], []).append(est)
        if not areas:
            continue
        for code, members in by_province.items():
            ids = {e.establishment_id for e in members}
            counts = combined_headcount([own[i] for i in ids])
            key = tuple(sorted(ids))
            staff = counted.of((p for i in key for p in staff_of.get(i, ())), key)
            name = provinces.get(code, code)
            snapshot = month_snapshot(month, sector, code, counts, staff, name)
            per_province.setdefault(code, []).append(snapshot)
        for pack_id, members in by_overlay.items():
            ids = {e.establishment_id for e in members}
            counts = combined_headcount([own[i] for i in ids])
            key = tuple(sorted(ids))
            staff = counted.of((p for i in key for p in staff_of.get(i, ())), key)
            region = default_registry().get(pack_id).region
            snapshot = month_snapshot(
                month, sector, region, counts, staff, ", ".join(e.name for e in members)
            )
            per_overlay.setdefault(pack_id, []).append(snapshot)
            overlay_places.setdefault(pack_id, []).extend(e.name for e in members)
    entity_period = _period(label, entity, today)
    return Computation(
        months=figures.months,
        figures=figures,
        people=people,
        entity=entity_period,
        establishments=tuple(
            (e, _period(label, per_establishment[e.establishment_id], today))
            for e in figures.establishments
            if e.establishment_id in per_establishment
        ),
        provinces=tuple(
            (code, provinces.get(code, code), _period(label, snaps, today))
            for code, snaps in sorted(per_province.items())
        ),
        reasons=reasons,
        entity_snapshots=tuple(entity),
        overlays=regional_results(
            per_overlay,
            overlay_places,
            figures.months,
            period_pack_id=entity_period.pack_id,
            today=today,
        ),
    )


def figures_for(session: Session, organization_id: int, months: Sequence[date]) -> WorkforceFigures:
    """`monthly_figures`, read once a unit of work for the same months: the status of record
    looks at a period's figures before computing it (`status.running_result`)."""
    return reused(
        session,
        ("figures", organization_id, tuple(months)),
        lambda: monthly_figures(session, organization_id, months),
    )


@contextmanager
def computing_ahead(
    session: Session,
    organization_ids: Sequence[int],
    months: Iterable[date],
    *,
    periods: bool = False,
) -> Iterator[None]:
    """For a job that computes many organisations: within the block, `compute` takes the
    figures of `months` and the rosters of `organization_ids` from rows read for all of them
    at once (`read_ahead`), and works exactly as it does from its own queries; with
    `periods`, the status of record takes their reporting periods from there too."""
    with read_ahead.reading_ahead(
        session,
        organization_ids,
        sorted({month_start(m) for m in months}),
        employee_columns=EMPLOYEE_COLUMNS,
        detail_columns=QUOTA_DETAILS,
        detail_select=detail_select(QUOTA_DETAILS),
        periods=periods,
    ):
        yield


def _province_names(session: Session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(Province.code, Province.name))}


def input_hash(
    figures: WorkforceFigures,
    people: Sequence[RosterPerson],
    reasons: Mapping[int, MonthReasons] | None = None,
) -> str:
    """SHA-256 of the canonical input: sorted keys, codes not labels, no names."""
    reasons = reasons if reasons is not None else month_reasons(people, figures.months)
    person = {p.employee_id: p.canonical() for p in people if p.can_count}  # once, not monthly
    canonical = {
        "format": FORMAT,
        "organization_id": figures.organization_id,
        "sector": figures.sector.value,
        "months": [f"{m:%Y-%m}" for m in figures.months],
        "headcount": {
            str(e.establishment_id): {
                f"{m:%Y-%m}": {k.value: v for k, v in e.recorded(m).items()}
                for m in figures.months
                if e.recorded(m)
            }
            for e in figures.establishments
        },
        "people": {
            f"{m:%Y-%m}": [
                person[p.employee_id] for p in people if reasons[p.employee_id][i].counts
            ]
            for i, m in enumerate(figures.months)
        },
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
