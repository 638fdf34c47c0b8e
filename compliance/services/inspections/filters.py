"""The dashboard's filters, parsed from the query string and checked against what exists.

An unknown value is a `ServiceError` naming its field, never "no results": an inspector who
typed `status=overdu` must learn that the filter is wrong, not that the province is clean.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import gettext as _

from compliance.models.organizations import Sector
from compliance.services import ServiceError

PAGE_SIZE = 50
E = TypeVar("E", bound=enum.StrEnum)
MAX_QUERY = 100


class StatusFilter(enum.StrEnum):
    """The status of record of the ranked period (`services.declarations.status`), plus the
    two follow-ups an inspector looks for."""

    FILED_COMPLIANT = "filed_compliant"
    FILED_SHORTFALL = "filed_shortfall"
    CORRECTION_REQUESTED = "correction_requested"
    IN_CASE = "in_case"
    OVERDUE = "overdue"
    OPEN = "open"
    NOT_OBLIGED = "not_obliged"


class SizeBand(enum.StrEnum):
    """Headcount bands of the latest complete month; "unknown" without one."""

    UNDER_100 = "under_100"
    FROM_100 = "100_499"
    FROM_500 = "500_999"
    FROM_1000 = "1000_plus"
    UNKNOWN = "unknown"

    @property
    def bounds(self) -> tuple[int, int] | None:
        return {
            SizeBand.UNDER_100: (0, 99),
            SizeBand.FROM_100: (100, 499),
            SizeBand.FROM_500: (500, 999),
            SizeBand.FROM_1000: (1000, 2**31 - 1),
        }.get(self)


@dataclass(frozen=True)
class DashboardFilters:
    sector: Sector | None = None
    regency: str | None = None
    size: SizeBand | None = None
    status: StatusFilter | None = None
    query: str = ""
    page: int = 1

    def as_args(self, **changes: object) -> dict[str, str]:
        """The query string for this filter set (for pagination links)."""
        values: dict[str, object] = {
            "sector": self.sector,
            "regency": self.regency,
            "size": self.size,
            "status": self.status,
            "q": self.query,
            "page": self.page,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "", 1)}


def _choice(kind: type[E], raw: str | None, field: str) -> E | None:
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise ServiceError(
            _("There is no such choice: %(value)s.", value=raw), field=field
        ) from None


def parse_filters(args: Mapping[str, str], regency_codes: set[str]) -> DashboardFilters:
    """`regency_codes` are the regencies the actor may filter by (those of their provinces)."""
    regency = (args.get("regency") or "").strip() or None
    if regency is not None and regency not in regency_codes:
        raise ServiceError(
            _("There is no such regency or city in your provinces: %(value)s.", value=regency),
            field="regency",
        )
    query = (args.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_QUERY), field="q")
    raw_page = (args.get("page") or "1").strip()
    if not raw_page.isdigit() or int(raw_page) < 1:
        raise ServiceError(_("The page must be a whole number from 1."), field="page")
    return DashboardFilters(
        sector=_choice(Sector, args.get("sector"), "sector"),
        regency=regency,
        size=_choice(SizeBand, args.get("size"), "size"),
        status=_choice(StatusFilter, args.get("status"), "status"),
        query=query,
        page=int(raw_page),
    )
