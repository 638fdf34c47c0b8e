"""The shared vocabularies of the registry: skills and workplace accommodations.

Candidates and vacancies pick from the same codes, so matching compares codes, never free
text. Codes are stable (they are stored and used in imports); their words, translated, live
with every other label in `compliance.labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from compliance.labels import ACCOMMODATIONS, SKILLS
from compliance.quota.vocab import DisabilityCategory

__all__ = ["ACCOMMODATIONS", "SKILLS", "category_mask", "unknown_codes"]

_CATEGORY_BITS = {c.value: 1 << i for i, c in enumerate(DisabilityCategory)}


def category_mask(categories: Iterable[str]) -> int:
    """The plain bit mask of categories, stored only when the consent allows sharing them."""
    mask = 0
    for code in categories:
        mask |= _CATEGORY_BITS.get(code, 0)
    return mask


def unknown_codes(codes: Iterable[str], vocabulary: Mapping[str, object]) -> list[str]:
    return sorted(set(codes) - vocabulary.keys())
