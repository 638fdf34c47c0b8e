"""Property tests: invariants of the engine over generated snapshots."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.quota import (
    DisabilityCategory,
    DisabledEmployee,
    EmploymentType,
    EvidenceType,
    InputError,
    PackKind,
    Sector,
    Snapshot,
    default_registry,
    evaluate,
)
from compliance.quota.model import check_part, fits_with_nobody
from tests.quota.builders import TODAY

COUNTED_TYPES = [
    EmploymentType.PERMANENT,
    EmploymentType.FIXED_TERM,
    EmploymentType.DAILY,
    EmploymentType.PART_TIME,
    EmploymentType.PNS,
    EmploymentType.PPPK,
]
ALL_TYPES = list(EmploymentType)

people = st.builds(
    DisabledEmployee,
    categories=st.frozensets(st.sampled_from(DisabilityCategory), min_size=1),
    evidence=st.sampled_from(EvidenceType),
    employment_type=st.sampled_from(ALL_TYPES),
    is_verified=st.booleans(),
)


@st.composite
def snapshots(draw: st.DrawFn, as_of: date | None = None) -> Snapshot:
    roster = draw(st.lists(people, max_size=25))
    headcount = {}
    for kind in ALL_TYPES:
        # Every roster person is one of the workers of their type, so the head count covers them.
        minimum = sum(1 for p in roster if p.employment_type is kind)
        headcount[kind] = draw(st.integers(min_value=minimum, max_value=minimum + 3000))
    return Snapshot(
        as_of=as_of or draw(st.dates(min_value=date(2016, 4, 15), max_value=date(2030, 12, 31))),
        sector=draw(st.sampled_from(Sector)),
        headcount=headcount,
        disabled_employees=tuple(roster),
        region=draw(st.sampled_from([None, "34.02", "34.01", "34.02.05", "31.71"])),
        toggles=draw(
            st.dictionaries(
                st.sampled_from(["count_outsourced", "count_interns", "count_honorer"]),
                st.booleans(),
            )
        ),
    )


@settings(max_examples=60, deadline=None)
@given(snapshots(), people, st.integers(min_value=0))
def test_adding_a_disabled_employee_never_increases_the_gap(
    snapshot: Snapshot, extra: DisabledEmployee, seed: int
) -> None:
    before = evaluate(snapshot, today=TODAY)
    headcount = dict(snapshot.headcount)
    kind = extra.employment_type
    headcount[kind] = (headcount[kind] or 0) + 1  # the new colleague is a new worker too
    more = Snapshot(
        as_of=snapshot.as_of,
        sector=snapshot.sector,
        headcount=headcount,
        disabled_employees=(*snapshot.disabled_employees, extra),
        region=snapshot.region,
        toggles=snapshot.toggles,
    )
    after = evaluate(more, today=TODAY)
    assert after.counted >= before.counted
    # Hiring a disabled worker who also grows N can raise `required` by one at a boundary
    # (ceil), but never by more than the person counts, so the gap cannot grow.
    if before.gap is not None and after.gap is not None:
        assert after.gap <= before.gap
    # Holding N fixed (an existing worker's disability newly recorded), the gap never grows.
    same_n = Snapshot(
        as_of=snapshot.as_of,
        sector=snapshot.sector,
        headcount={**snapshot.headcount, kind: headcount[kind]},
        disabled_employees=snapshot.disabled_employees,
        region=snapshot.region,
        toggles=snapshot.toggles,
    )
    base = evaluate(same_n, today=TODAY)
    if base.gap is not None and after.gap is not None:
        assert after.gap <= base.gap


@settings(max_examples=80, deadline=None)
@given(snapshots())
def test_required_never_falls_below_rate_times_n(snapshot: Snapshot) -> None:
    result = evaluate(snapshot, today=TODAY)
    assert result.rate is not None
    assert result.denominator is not None
    assert result.required is not None
    assert result.required >= result.rate * result.denominator
    assert result.required == math.ceil(result.rate * result.denominator)
    assert result.gap == max(Decimal(0), result.required - result.counted)
    assert result.counted <= result.denominator


@settings(max_examples=60, deadline=None)
@given(snapshots(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_employees(
    snapshot: Snapshot, rng: random.Random
) -> None:
    shuffled = list(snapshot.disabled_employees)
    rng.shuffle(shuffled)
    reordered = Snapshot(
        as_of=snapshot.as_of,
        sector=snapshot.sector,
        headcount=dict(reversed(list(snapshot.headcount.items()))),
        disabled_employees=tuple(shuffled),
        region=snapshot.region,
        toggles=snapshot.toggles,
    )
    assert evaluate(reordered, today=TODAY).to_dict() == evaluate(snapshot, today=TODAY).to_dict()


# Dates where one Indonesian national pack hands over to the next (the first start is excluded:
# before it there is no pack at all, which test_quota_packs covers).
_STARTS = sorted(p.effective_from for p in default_registry().packs if p.kind is PackKind.NATIONAL)
BOUNDARIES = _STARTS[1:]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(BOUNDARIES), st.integers(min_value=-3, max_value=3), st.data())
def test_dates_around_a_pack_boundary_pick_the_pack_in_force(
    boundary: date, offset: int, data: st.DataObject
) -> None:
    on = boundary + timedelta(days=offset)
    snapshot = data.draw(snapshots(as_of=on))
    result = evaluate(snapshot, today=TODAY)
    pack = default_registry().get(result.pack_id)
    assert pack.is_in_force(on)
    assert (pack.effective_from == boundary) == (offset >= 0)


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_overlays_never_change_the_national_result(snapshot: Snapshot) -> None:
    nowhere = Snapshot(
        as_of=snapshot.as_of,
        sector=snapshot.sector,
        headcount=snapshot.headcount,
        disabled_employees=snapshot.disabled_employees,
        region=None,
        toggles=snapshot.toggles,
    )
    with_region = evaluate(snapshot, today=TODAY).to_dict()
    without = evaluate(nowhere, today=TODAY).to_dict()
    for key in ("denominator", "required", "counted", "gap", "status", "lines", "warnings"):
        assert with_region[key] == without[key]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(people, max_size=8),
    st.dictionaries(
        st.sampled_from(ALL_TYPES),
        st.one_of(st.none(), st.integers(min_value=-2, max_value=6)),
    ),
    st.sampled_from([None, "34.02", "34", "31.71.01", "3402", "34.2", "XX"]),
)
def test_a_part_is_refused_exactly_when_its_snapshot_would_be(
    roster: list[DisabledEmployee],
    headcount: dict[EmploymentType, int | None],
    region: str | None,
) -> None:
    """`check_part` (what `compute` checks of an establishment it does not evaluate) refuses
    the same headcounts, people and regions as building the snapshot does."""

    def refused(check: Callable[[], object]) -> bool:
        try:
            check()
        except InputError:
            return True
        return False

    people_of = tuple(roster)
    built = refused(
        lambda: Snapshot(
            as_of=date(2026, 6, 30),
            sector=Sector.PRIVATE,
            headcount=headcount,
            disabled_employees=people_of,
            region=region,
        )
    )
    assert refused(lambda: check_part(region, headcount, people_of)) == built


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(min_value=-2, max_value=6)), max_size=6),
    st.sampled_from([None, "34.02", "34", "3402", "XX"]),
    st.data(),
)
def test_a_part_that_fits_with_nobody_is_accepted_with_any_of_its_counts(
    counts: list[int | None], region: str | None, data: st.DataObject
) -> None:
    """`fits_with_nobody` (checked once per establishment) promises what `check_part` says of
    every month drawn from those counts with nobody counted; and it promises nothing more."""
    headcount = data.draw(
        st.dictionaries(st.sampled_from(ALL_TYPES), st.sampled_from([*counts, None]))
    )
    fits = fits_with_nobody(region, counts)
    if fits:
        check_part(region, headcount, ())
    everything = {kind: count for kind, count in zip(ALL_TYPES, counts, strict=False)}
    try:
        check_part(region, everything, ())
    except InputError:
        assert not fits
    else:
        assert fits
