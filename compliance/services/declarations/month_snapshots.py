"""The engine's snapshots of one month for `computation.compute`: the legal entity's, an
establishment's, an area's (a province's or a regional rule's), and the checks that refuse a
month exactly as building the snapshots would, for a computation that builds the legal
entity's alone (the nightly status of record needs no breakdown)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from compliance.models.organizations import Sector
from compliance.quota import DisabledEmployee, EmploymentType, InputError, Snapshot
from compliance.quota import Sector as QuotaSector
from compliance.quota.model import check_part, fits_with_nobody
from compliance.services import ServiceError
from compliance.services.dates import add_months
from compliance.services.declarations.roster_facts import RosterPerson
from compliance.services.workforce import WorkforceFigures

Headcount = dict[EmploymentType, int | None]


def combined_headcount(headcounts: Sequence[Headcount]) -> Headcount:
    """Sum per type; unknown anywhere stays unknown (never silently lowers N)."""
    total: Headcount = {}
    for counts in headcounts:
        for kind, value in counts.items():
            previous = total.get(kind, 0)
            total[kind] = None if value is None or previous is None else previous + value
    return total


def month_snapshot(
    month: date,
    sector: Sector,
    region: str | None,
    headcount: Headcount,
    counted: Sequence[DisabledEmployee],
    where: str,
) -> Snapshot:
    """The engine's snapshot of `month` (as of its last day) for the place named `where`; a
    month the engine refuses is a `ServiceError` naming the month and the place (`refused`)."""
    try:
        return Snapshot(
            as_of=add_months(month, 1) - timedelta(days=1),  # the month's last day
            sector=QuotaSector(sector.value),
            region=region,
            headcount=headcount,
            disabled_employees=tuple(counted),
        )
    except InputError:
        raise refused(month, where) from None


def check_parts(
    month: date,
    figures: WorkforceFigures,
    counted: Counted,
    staff_of: Mapping[int, list[RosterPerson]],
    cleared: set[int],
) -> None:
    """Refuse the month exactly as building its breakdown would, without building it (only
    the legal entity is evaluated): each establishment's snapshot is checked in the order
    they are built (`check_part`); a province or regional overlay then cannot be refused,
    since it sums establishments that passed (each type's people and workers add up, its
    region is a valid code's first part or a loaded pack's), and the legal entity's snapshot
    of the month, with the same date and sector, was accepted. An establishment in `cleared`
    (its region and every figure it recorded pass: `fits_with_nobody`) with nobody counting
    there that month cannot be refused, and is not checked again."""
    for est in figures.establishments:
        if not est.expected_in(month):
            continue
        staff = counted.of(staff_of.get(est.establishment_id, ()), (est.establishment_id,))
        if not staff and est.establishment_id in cleared:
            continue
        counts = figures.establishment_headcount(month, est)
        try:
            check_part(est.regency_code, counts, staff)
        except InputError:
            raise refused(month, est.name) from None


def cleared_establishments(figures: WorkforceFigures) -> set[int]:
    """The establishments whose region and every recorded figure pass (`fits_with_nobody`):
    in a month nobody counts there, `check_parts` need not check them again."""
    return {
        e.establishment_id
        for e in figures.establishments
        if fits_with_nobody(e.regency_code, (n for c in e.headcounts.values() for n in c.values()))
    }


def refused(month: date, where: str) -> ServiceError:
    """What the HR manager reads when a month cannot be evaluated: the roster outgrows the
    figures somewhere, which only they can correct."""
    return ServiceError(
        _(
            "In %(month)s, %(where)s has more counted employees with disabilities of one "
            "employment type than workers of that type in its figures. Check the figures "
            "or the roster.",
            month=format_date(month, "MMMM yyyy"),
            where=where,
        )
    )


class Counted:
    """The engine's view of who counts in a month among some establishments' staff. Who counts
    changes only when someone joins, leaves or their evidence lapses, so a month counting the
    same people as the one before reuses its lists (`key` names the establishments)."""

    def __init__(self, views: Mapping[int, DisabledEmployee]) -> None:
        self.views = views
        self.counting: set[int] | None = None
        #: Tuples, the same object month after month: the engine counts each once
        #: (`counting_once`).
        self.lists: dict[tuple[int, ...], tuple[DisabledEmployee, ...]] = {}

    def month(self, counting: set[int]) -> None:
        # Months counting the same groups share one set (`counting_by_month`).
        if counting is not self.counting and counting != self.counting:
            self.counting, self.lists = counting, {}

    def of(
        self, staff: Iterable[RosterPerson], key: tuple[int, ...]
    ) -> tuple[DisabledEmployee, ...]:
        found = self.lists.get(key)
        if found is None:
            counting, views = self.counting or set(), self.views
            found = self.lists[key] = tuple(
                views[p.employee_id] for p in staff if p.employee_id in counting
            )
        return found
