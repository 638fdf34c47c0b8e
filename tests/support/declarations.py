"""Builders for declaration tests: a year of monthly figures entered through the real service."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from compliance.models import User
from compliance.services.declarations import open_declaration, submit_declaration
from compliance.services.workforce import record_monthly_figures
from tests.support.factories import Factory

#: A day after the 2025 period, so every month of it has begun.
TODAY = date(2026, 1, 15)
PRIVATE_TYPES = ("permanent", "fixed_term", "daily", "part_time", "outsourced", "intern")


def hr_of(session, organization_id: int) -> User:
    return session.scalar(
        select(User).where(User.organization_id == organization_id).order_by(User.id)
    )


def fill_year(
    factory: Factory,
    organization_id: int,
    headcounts: dict[int, int],
    *,
    year: int = 2025,
    skip: set[tuple[int, int]] = frozenset(),
) -> None:
    """Record `headcounts` (establishment id -> permanent workers) for every month of `year`,
    except the (establishment id, month number) pairs in `skip`."""
    after = date(year + 1, 1, 15)  # every month of `year` has begun
    with factory.session() as session:
        hr = hr_of(session, organization_id)
        for month in range(1, 13):
            for establishment_id, permanent in headcounts.items():
                if (establishment_id, month) in skip:
                    continue
                counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": permanent}
                record_monthly_figures(
                    session, hr, establishment_id, date(year, month, 1), counts, today=after
                )


def submit_year(factory: Factory, organization_id: int, *, year: int = 2025) -> int:
    """Open and submit the declaration for `year` (its figures must be filled); its id."""
    after = date(year + 1, 1, 15)
    with factory.session() as session:
        hr = hr_of(session, organization_id)
        draft = open_declaration(session, hr, year, today=after)
        submit_declaration(session, hr, draft.id, draft.revision, "Checked", today=after)
        return draft.id
