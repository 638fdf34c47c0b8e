"""Builders for quota-engine test inputs: `snapshot(...)` and `person(...)` with short keywords."""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance.quota import (
    DisabilityCategory,
    DisabledEmployee,
    EmploymentType,
    EvidenceType,
    Sector,
    Snapshot,
)

TODAY = date(2026, 11, 23)

EMPLOYMENT_TYPES = {kind.value for kind in EmploymentType}


def person(
    *categories: str,
    evidence: str = "kpd",
    employment_type: str = "permanent",
    is_verified: bool = True,
    **extra: Any,
) -> DisabledEmployee:
    return DisabledEmployee(
        categories=frozenset(DisabilityCategory(c) for c in categories or ("physical",)),
        evidence=EvidenceType(evidence),
        employment_type=EmploymentType(employment_type),
        is_verified=is_verified,
        **extra,
    )


def snapshot(
    sector: str = "private",
    as_of: date = date(2025, 6, 30),
    disabled: tuple[DisabledEmployee, ...] = (),
    **headcount_and_fields: Any,
) -> Snapshot:
    """`snapshot("private", permanent=250, region="34.02")`: head counts as keywords."""
    fields = {
        k: v
        for k, v in headcount_and_fields.items()
        if k not in EmploymentType.__members__ and k not in {t.value for t in EmploymentType}
    }
    headcount = {EmploymentType(k): v for k, v in headcount_and_fields.items() if k not in fields}
    return Snapshot(
        as_of=as_of,
        sector=Sector(sector),
        headcount=headcount,
        disabled_employees=disabled,
        **fields,
    )
