"""Builders for declaration tests: monthly figures entered through the real service.

Years and months default to ones derived from the frozen clock (`tests.support.clock`), so a
test builds "last year" and "the months up to now" whatever instant it runs at.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from compliance.models import User
from compliance.services.declarations import open_declaration, submit_declaration
from compliance.services.workforce import record_monthly_figures
from tests.support.clock import last_year, today
from tests.support.factories import Factory

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
    year: int | None = None,
    skip: set[tuple[int, int]] = frozenset(),
) -> None:
    """Record `headcounts` (establishment id -> permanent workers) for every month of `year`
    (last year by default), except the (establishment id, month number) pairs in `skip`."""
    year = year if year is not None else last_year()
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


def fill_recent(factory: Factory, organization_id: int, headcounts: dict[int, int]) -> None:
    """Figures for every month of last year and of this year up to last month: the period
    that has ended can be declared, and the latest complete month is last month."""
    fill_year(factory, organization_id, headcounts)
    with factory.session() as session:
        hr = hr_of(session, organization_id)
        this_year = today().year
        for month in range(1, today().month):
            for establishment_id, permanent in headcounts.items():
                counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": permanent}
                first = date(this_year, month, 1)
                record_monthly_figures(session, hr, establishment_id, first, counts)


def submit_year(factory: Factory, organization_id: int, *, year: int | None = None) -> int:
    """Open and submit the declaration for `year` (last year by default; its figures must be
    filled); its id."""
    year = year if year is not None else last_year()
    after = date(year + 1, 1, 15)
    with factory.session() as session:
        hr = hr_of(session, organization_id)
        draft = open_declaration(session, hr, year, today=after)
        submit_declaration(session, hr, draft.id, draft.revision, "Checked", today=after)
        return draft.id
