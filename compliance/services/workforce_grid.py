"""Workforce figures for many rows at once: one month for every establishment (the month grid),
or every month of a year for one establishment (the year view).

A sheet is all or nothing. Every row is checked first, and every problem is reported with the
row and the cell it belongs to; only when there is none is anything written, row by row through
`workforce.record_monthly_figures`, so the rules, the one audit event per changed row and "an
unchanged row writes nothing" are exactly the single form's. The request commits once, so a
refusal that only shows while writing (a concurrent save) still leaves nothing of the sheet.

Unlike the single form, a sheet takes only months that have ended: it is how figures are
caught up, and a month still running is not complete (DESIGN.md 3a).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.organizations import Establishment, Organization
from compliance.quota import EmploymentType
from compliance.services import NotFound, ServiceError
from compliance.services.dates import month_start
from compliance.services.policy import own_organization_id
from compliance.services.workforce import (
    RosterPresence,
    WorkforceFigures,
    checked_counts,
    employment_types_for,
    ended_month,
    headcount_below_roster,
    monthly_figures,
    record_monthly_figures,
)

#: More rows than any organisation has establishments-times-months on one page: a post with
#: more is not from our pages, and is refused before any of it is read.
MAX_ROWS = 1_000


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One establishment's figures for one month, as typed: employment type code -> headcount."""

    establishment_id: int
    month: date
    counts: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row cannot be saved; `field` is the employment type code, None for the row."""

    establishment_id: int
    month: date
    message: str
    field: str | None = None


class SheetRefused(ServiceError):
    """Some rows have problems, so nothing of the sheet is saved; `problems` lists them all."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(
            ngettext(
                "%(num)d problem in the figures: nothing is saved.",
                "%(num)d problems in the figures: nothing is saved.",
                len(problems),
            )
        )
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class SheetSaved:
    """What a saved sheet changed: the rows written (one audit event each) and the others."""

    changed: tuple[tuple[int, date], ...]
    unchanged: int


def _refusal() -> str:
    return _("Only the organisation's HR managers can record workforce figures.")


def own_organization(session: Session, actor: User) -> Organization:
    """The actor's organisation, if they may record its figures: its months and types."""
    organization_id = own_organization_id(actor, _refusal())
    organization = session.scalar(select(Organization).where(Organization.id == organization_id))
    if organization is None:
        raise NotFound(_("Organisation not found."))
    return organization


def sheet_figures(session: Session, actor: User, months: Sequence[date]) -> WorkforceFigures:
    """The recorded figures a sheet shows (and copies forward), for the actor's organisation."""
    return monthly_figures(session, own_organization(session, actor).id, months)


class _Checks:
    """What checking a sheet needs, read once for all its rows."""

    def __init__(self, session: Session, organization: Organization, rows: Sequence[SheetRow]):
        self.today = organization.today()
        self.types = employment_types_for(organization.sector)
        self.establishments = {
            e.id: e
            for e in session.scalars(
                select(Establishment).where(Establishment.organization_id == organization.id)
            )
        }
        months = {row.month for row in rows if isinstance(row.month, date)}
        self.stored = monthly_figures(session, organization.id, months)
        self.roster = RosterPresence(session, organization.id)


def _row_problems(
    row: SheetRow, checks: _Checks
) -> tuple[list[RowProblem], dict[EmploymentType, int]]:
    """Every problem of one row (cell by cell), and its checked counts when it has none."""

    def problem(message: str, field: str | None = None) -> RowProblem:
        return RowProblem(row.establishment_id, row.month, message, field)

    establishment = checks.establishments.get(row.establishment_id)
    if establishment is None:  # unknown, or another organisation's: the same to the actor
        return [problem(_("This establishment is not one of your organisation's."))], {}
    if not establishment.is_open:
        message = _(
            "%(name)s is closed: reopen it before recording new figures.", name=establishment.name
        )
        return [problem(message)], {}
    try:
        month = ended_month(row.month, checks.today)
    except ServiceError as error:
        return [problem(error.message, "month")], {}
    problems: list[RowProblem] = []
    counts: dict[EmploymentType, int] = {}
    for code, value in row.counts.items():
        try:
            counts.update(checked_counts({code: value}, checks.types))
        except ServiceError as error:
            problems.append(problem(error.message, error.field))
    if problems:
        return problems, {}
    kept = checks.stored.establishment(establishment.id).recorded(month)
    total = sum(counts.values()) + sum(n for kind, n in kept.items() if kind not in counts)
    below = headcount_below_roster(
        checks.roster.count(establishment.id, month), total, establishment.name
    )
    return ([problem(below)] if below else []), counts


def record_figure_sheet(session: Session, actor: User, rows: Sequence[SheetRow]) -> SheetSaved:
    """Check every row, then save them all, or raise `SheetRefused` and save none.

    Rows whose figures equal the stored ones are not written (and leave no audit event).
    """
    organization = own_organization(session, actor)
    if len(rows) > MAX_ROWS:
        raise ServiceError(_("This form has more rows than any page of ours sends."))
    checks = _Checks(session, organization, rows)
    problems: list[RowProblem] = []
    seen: set[tuple[int, date]] = set()
    changed: list[tuple[SheetRow, dict[EmploymentType, int]]] = []
    for row in rows:
        key = (row.establishment_id, row.month)
        if key in seen:
            problems.append(RowProblem(*key, _("These figures are in the form twice.")))
            continue
        seen.add(key)
        found, counts = _row_problems(row, checks)
        problems.extend(found)
        if found or not counts:
            continue
        stored = checks.stored.establishment(row.establishment_id).recorded(month_start(row.month))
        if any(stored.get(kind) != headcount for kind, headcount in counts.items()):
            changed.append((row, counts))
    if problems:
        raise SheetRefused(problems)
    for row, counts in changed:
        record_monthly_figures(
            session,
            actor,
            row.establishment_id,
            row.month,
            {kind.value: headcount for kind, headcount in counts.items()},
            today=checks.today,
            roster=checks.roster,
        )
    return SheetSaved(
        changed=tuple((row.establishment_id, month_start(row.month)) for row, _c in changed),
        unchanged=len(rows) - len(changed),
    )
