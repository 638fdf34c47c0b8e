"""The set of rule packs and the choice of which ones apply to a date and a region.

A `PackRegistry` checks the packs against each other when it is built (unique ids, national packs
of one country never overlapping in time, comparison references resolving), so picking a pack at
evaluation time is a plain lookup that cannot be ambiguous.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path

from compliance.quota.loader import load_pack, load_pack_text
from compliance.quota.pack import PackKind, RulePack
from compliance.quota.tomlreader import PackError
from compliance.quota.vocab import InputError, region_contains


def _overlaps(first: RulePack, second: RulePack) -> bool:
    first_end = first.effective_to or date.max
    second_end = second.effective_to or date.max
    return first.effective_from <= second_end and second.effective_from <= first_end


class PackRegistry:
    def __init__(self, packs: Iterable[RulePack]) -> None:
        self._packs: dict[str, RulePack] = {}
        for pack in packs:
            if pack.id in self._packs:
                raise PackError(pack.id, "id", "two packs share this id")
            self._packs[pack.id] = pack
        self._check()

    def _check(self) -> None:
        packs = list(self._packs.values())
        for index, pack in enumerate(packs):
            for ref in pack.comparisons:
                if ref not in self._packs:
                    raise PackError(pack.id, "pack.comparisons", f"unknown pack {ref!r}")
                if self._packs[ref].kind is not PackKind.NATIONAL:
                    raise PackError(pack.id, "pack.comparisons", f"{ref!r} is not a national pack")
            for other in packs[index + 1 :]:
                same_scope = (
                    pack.kind is other.kind
                    and pack.jurisdiction == other.jurisdiction
                    and pack.region == other.region
                )
                if same_scope and _overlaps(pack, other):
                    raise PackError(pack.id, "pack.effective_from", f"overlaps {other.id!r}")

    @property
    def packs(self) -> tuple[RulePack, ...]:
        return tuple(self._packs.values())

    def get(self, pack_id: str) -> RulePack:
        try:
            return self._packs[pack_id]
        except KeyError:
            raise InputError("pack", f"unknown rule pack {pack_id!r}") from None

    def national_for(self, jurisdiction: str, on: date) -> RulePack:
        for pack in self._packs.values():
            if (
                pack.kind is PackKind.NATIONAL
                and pack.jurisdiction == jurisdiction
                and pack.is_in_force(on)
            ):
                return pack
        starts = [
            pack.effective_from
            for pack in self._packs.values()
            if pack.kind is PackKind.NATIONAL and pack.jurisdiction == jurisdiction
        ]
        if not starts:
            raise InputError("jurisdiction", f"no rule pack for country {jurisdiction!r}")
        if on < min(starts):
            raise InputError(
                "as_of",
                f"{on.isoformat()} is before the first rule pack ({min(starts).isoformat()})",
            )
        raise InputError("as_of", f"no rule pack of {jurisdiction!r} in force on {on.isoformat()}")

    def overlays_for(self, jurisdiction: str, region: str | None, on: date) -> tuple[RulePack, ...]:
        """Overlays of the region and of every region containing it, outermost first."""
        if region is None:
            return ()
        found = [
            pack
            for pack in self._packs.values()
            if pack.kind is PackKind.OVERLAY
            and pack.jurisdiction == jurisdiction
            and pack.region is not None
            and region_contains(pack.region, region)
            and pack.is_in_force(on)
        ]
        return tuple(sorted(found, key=lambda pack: (len(pack.region or ""), pack.id)))

    def with_packs(self, *packs: RulePack) -> PackRegistry:
        return PackRegistry([*self._packs.values(), *packs])


def load_registry(*directories: Path) -> PackRegistry:
    """Every `*.toml` file of the given directories."""
    paths = sorted(path for directory in directories for path in directory.glob("*.toml"))
    return PackRegistry(load_pack(path) for path in paths)


@functools.cache
def default_registry() -> PackRegistry:
    """The packs shipped in `compliance/quota/packs/`, loaded once per process."""
    folder = resources.files("compliance.quota") / "packs"
    texts = sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )
    return PackRegistry(load_pack_text(text, name) for name, text in texts)
