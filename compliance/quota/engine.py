"""Evaluating one snapshot: the national obligation, its historical comparison, regional overlays.

`evaluate()` is the engine's main entry point. It picks the national pack in force on the
snapshot's date, assesses it (required / counted / gap / status, a line for every step), then adds
the comparison packs the national pack names (history) and the overlays of the snapshot's region.
Overlays are separate results: by construction they cannot change the national figures, because a
Perda cannot lower an obligation set by a statute.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from datetime import date

from compliance.quota.assess import DEFAULT_MAX_PACK_AGE_DAYS, Options, assess
from compliance.quota.counting import check_toggles, count
from compliance.quota.model import Snapshot
from compliance.quota.pack import PackKind
from compliance.quota.pack_catalog import PackRegistry, default_registry
from compliance.quota.result import QuotaResult, ResultRole
from compliance.quota.vocab import InputError


def evaluate(
    snapshot: Snapshot,
    *,
    today: date,
    registry: PackRegistry | None = None,
    max_pack_age_days: int = DEFAULT_MAX_PACK_AGE_DAYS,
    pack_id: str | None = None,
) -> QuotaResult:
    """The `QuotaResult` of one snapshot. `today` only decides whether a pack is stale."""
    registry = registry or default_registry()
    if max_pack_age_days < 0:
        raise InputError("max_pack_age_days", "must not be negative")
    options = Options(today=today, max_pack_age_days=max_pack_age_days)
    return evaluate_with(snapshot, registry, options, pack_id)


#: Results of the shipped packs by everything they read of a snapshot (`_input_key`): about
#: 11 kB each, so at most some 22 MB a process, then started afresh (a large organisation's
#: year is some 700 results: 12 months of the entity, its establishments and provinces).
_KEPT: dict[Hashable, QuotaResult] = {}
_KEPT_MAX = 2048


def _input_key(snapshot: Snapshot, options: Options, pack_id: str | None) -> Hashable:
    """Everything an assessment reads of a snapshot: its date, place and kind of employer, the
    headcount, settings and attributes, and how many disabled employees of each kind it has
    (never who: the counting rules read `Snapshot.kinds`, the references are not read)."""
    return (
        snapshot.as_of,
        snapshot.sector,
        snapshot.region,
        snapshot.jurisdiction,
        snapshot.legal_form,
        frozenset(snapshot.headcount.items()),
        frozenset(snapshot.toggles.items()),
        snapshot.attributes,
        frozenset(snapshot.kinds.items()),
        options,
        pack_id,
    )


def evaluate_with(
    snapshot: Snapshot, registry: PackRegistry, options: Options, pack_id: str | None = None
) -> QuotaResult:
    """The result of one snapshot. With the shipped packs, a snapshot alike in everything the
    assessment reads to one evaluated before gets that result again: results are immutable,
    and the same input always gives the same result, so a page that shows the same months
    request after request (the gap page, the HR home, the declarations list) does not explain
    each of them afresh (bench/web.py). Another registry (tests, `with_packs`) is never kept."""
    if registry is not default_registry():
        return _evaluate(snapshot, registry, options, pack_id)
    key = _input_key(snapshot, options, pack_id)
    found = _KEPT.get(key)
    if found is None:
        found = _evaluate(snapshot, registry, options, pack_id)
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[key] = found
    return found


def _evaluate(
    snapshot: Snapshot, registry: PackRegistry, options: Options, pack_id: str | None
) -> QuotaResult:
    if pack_id is None:
        pack = registry.national_for(snapshot.jurisdiction, snapshot.as_of)
    else:
        pack = registry.get(pack_id)
        if pack.kind is not PackKind.NATIONAL:
            raise InputError("pack", f"{pack_id!r} is an overlay, not a national pack")
    check_toggles(snapshot, pack)
    counts = count(snapshot, pack)
    primary = assess(snapshot, pack, counts, ResultRole.PRIMARY, options)
    comparisons = []
    for ref in pack.comparisons:
        history = registry.get(ref)
        comparisons.append(
            assess(snapshot, history, count(snapshot, history), ResultRole.COMPARISON, options)
        )
    overlays = tuple(
        assess(snapshot, overlay, counts, ResultRole.OVERLAY, options)
        for overlay in registry.overlays_for(snapshot.jurisdiction, snapshot.region, snapshot.as_of)
    )
    return replace(primary, comparisons=tuple(comparisons), overlays=overlays)
