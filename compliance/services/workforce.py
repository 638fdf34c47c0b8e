"""Monthly workforce figures: recording them per establishment and reading them back per month.

The figures are the quota's denominator (LAW.md row 4). They are stored raw, one headcount per
employment type; which types count is the rule pack's business, not ours, so nothing here
sums "workers" across types. `monthly_figures` hands the declarations plain, frozen data whose
`headcount(month)` is exactly what a quota `Snapshot` takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.organizations import Establishment, Organization, Sector
from compliance.models.people import Employee
from compliance.models.workforce import WorkforceFigure
from compliance.quota import EmploymentType
from compliance.services import NotFound, ServiceError, read_ahead
from compliance.services.audit import record_event
from compliance.services.dates import month_end, month_start
from compliance.services.establishments import get_establishment

PRIVATE_TYPES = (
    EmploymentType.PERMANENT,
    EmploymentType.FIXED_TERM,
    EmploymentType.DAILY,
    EmploymentType.PART_TIME,
    EmploymentType.OUTSOURCED,
    EmploymentType.INTERN,
)
CIVIL_SERVICE_TYPES = (EmploymentType.PNS, EmploymentType.PPPK, EmploymentType.HONORER)
#: Staff of state- and region-owned enterprises work under labour law, not as civil servants
#: (ASN), so only government bodies report PNS, PPPK and honorer staff.
GOVERNMENT_SECTORS = frozenset({Sector.CENTRAL_GOVERNMENT, Sector.REGIONAL_GOVERNMENT})
#: Far above any workplace's headcount, far below the database's 32-bit integer: a larger
#: number is a typing slip (or a hostile post), refused with a message instead of a crash.
MAX_HEADCOUNT = 10_000_000


def employment_types_for(sector: Sector) -> tuple[EmploymentType, ...]:
    """The employment types an organisation of `sector` reports, in form order."""
    if sector in GOVERNMENT_SECTORS:
        return CIVIL_SERVICE_TYPES + PRIVATE_TYPES
    return PRIVATE_TYPES


# --- recording ----------------------------------------------------------------------------


def checked_counts(
    counts: Mapping[str, object], allowed: tuple[EmploymentType, ...]
) -> dict[EmploymentType, int]:
    """`counts` as headcounts by type; the first unacceptable one is a `ServiceError` whose
    `field` is its type code (the month grid calls this cell by cell to report them all)."""
    checked: dict[EmploymentType, int] = {}
    for key, value in counts.items():
        try:
            kind = EmploymentType(key)
        except ValueError:
            raise ServiceError(
                _("%(type)s is not an employment type.", type=key), field=str(key)
            ) from None
        if kind not in allowed:
            raise ServiceError(
                _("Your organisation does not report this employment type."), field=kind.value
            )
        # bool is an int in Python; True workers is a bug upstream, not a headcount.
        if isinstance(value, bool) or not isinstance(value, int):
            raise ServiceError(_("Enter a whole number of people."), field=kind.value)
        if value < 0:
            raise ServiceError(_("The number of people cannot be negative."), field=kind.value)
        if value > MAX_HEADCOUNT:
            raise ServiceError(
                _("Enter at most 10,000,000 people: check the number."), field=kind.value
            )
        checked[kind] = value
    return checked


def checked_month(month: date, today: date) -> date:
    """The 1st of `month`, refused when that month has not begun at the head office (`today`)."""
    if isinstance(month, datetime) or not isinstance(month, date):
        raise ServiceError(_("Enter the month as YYYY-MM, for example 2025-01."), field="month")
    month = month_start(month)
    if month > month_start(today):
        raise ServiceError(_("You cannot record figures for a future month."), field="month")
    return month


def ended_month(month: date, today: date) -> date:
    """The 1st of `month`, refused unless that month is over at the head office (`today`):
    a month still running is not complete (DESIGN.md 3a), so no form, grid or file records
    figures for it."""
    month = checked_month(month, today)
    if month >= month_start(today):
        raise ServiceError(
            _("This month has not ended yet: enter its figures once it is over."), field="month"
        )
    return month


class RosterPresence:
    """How many roster employees work at each establishment in a month.

    Everyone on the roster is also in the headcount, so figures below it are a typing error
    (a missing digit, a wrong month) that would silently raise the share counted.
    """

    def __init__(self, session: Session, organization_id: int) -> None:
        self._spans: dict[int, list[tuple[date, date | None]]] = {}
        for establishment_id, start, end in session.execute(
            select(Employee.establishment_id, Employee.start_date, Employee.end_date).where(
                Employee.organization_id == organization_id
            )
        ):
            self._spans.setdefault(establishment_id, []).append((start, end))
        self._counted: dict[tuple[int, date], int] = {}

    def count(self, establishment_id: int, month: date) -> int:
        key = (establishment_id, month)
        if key not in self._counted:
            first, last = month_start(month), month_end(month)
            self._counted[key] = sum(
                1
                for start, end in self._spans.get(establishment_id, ())
                if start <= last and (end is None or end >= first)
            )
        return self._counted[key]


def headcount_below_roster(on_roster: int, total: int, name: str) -> str | None:
    """The message for figures smaller than the roster, or None when they are consistent."""
    if on_roster <= total:
        return None
    return _(
        "The roster has more employees with disabilities at %(name)s in this month "
        "(%(count)d) than these figures count in all (%(total)d). Check the figures and the "
        "roster.",
        count=on_roster,
        name=name,
        total=total,
    )


def record_monthly_figures(
    session: Session,
    actor: User,
    establishment_id: int,
    month: date,
    counts: Mapping[str, int],
    *,
    today: date | None = None,
    roster: RosterPresence | None = None,
) -> dict[EmploymentType, tuple[int | None, int]]:
    """Store `counts` (employment type code -> headcount) for one establishment and month.

    Types not in `counts` keep their stored value. Returns what changed as
    `{type: (old or None, new)}`; when nothing changed nothing is written, not even an audit
    event, so re-saving a form or re-importing a file leaves no trace. A caller saving many
    rows passes one `roster` so the roster is read once, not once per row.
    """
    establishment = get_establishment(session, actor, establishment_id)
    if not establishment.is_open:
        raise ServiceError(
            _(
                "%(name)s is closed: reopen it before recording new figures.",
                name=establishment.name,
            )
        )
    organization = establishment.organization
    month = ended_month(month, today or organization.today())
    checked = checked_counts(counts, employment_types_for(organization.sector))
    stored = {
        figure.employment_type: figure
        for figure in session.scalars(
            select(WorkforceFigure).where(
                WorkforceFigure.establishment_id == establishment.id,
                WorkforceFigure.month == month,
            )
        )
    }
    total = sum(checked.values()) + sum(
        figure.headcount for kind, figure in stored.items() if kind not in checked
    )
    roster = roster or RosterPresence(session, establishment.organization_id)
    on_roster = roster.count(establishment.id, month)
    problem = headcount_below_roster(on_roster, total, establishment.name)
    if problem:
        raise ServiceError(problem)
    changes: dict[EmploymentType, tuple[int | None, int]] = {}
    for kind, headcount in checked.items():
        figure = stored.get(kind)
        if figure is None:
            session.add(
                WorkforceFigure(
                    organization_id=establishment.organization_id,
                    establishment_id=establishment.id,
                    month=month,
                    employment_type=kind,
                    headcount=headcount,
                    updated_by_id=actor.id,
                )
            )
            changes[kind] = (None, headcount)
        elif figure.headcount != headcount:
            changes[kind] = (figure.headcount, headcount)
            figure.headcount = headcount
            figure.updated_by_id = actor.id
    try:
        session.flush()
    except IntegrityError:
        # Two saves of the same new month raced; the caller rolls back the whole request.
        raise ServiceError(
            _("Someone else saved figures for this month at the same time. Reload the page.")
        ) from None
    if changes:
        record_event(
            session,
            actor,
            "workforce.figures_recorded",
            establishment,
            organization_id=establishment.organization_id,
            data={
                "month": f"{month:%Y-%m}",
                "changes": {kind.value: list(pair) for kind, pair in changes.items()},
            },
        )
    return changes


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EstablishmentFigures:
    """One establishment's recorded headcounts, by month and employment type."""

    establishment_id: int
    name: str
    regency_code: str
    is_head_office: bool
    closed_at: datetime | None
    #: Only what was recorded: a month or a type that is missing here is unknown, not zero.
    headcounts: Mapping[date, Mapping[EmploymentType, int]] = field(default_factory=dict)

    def recorded(self, month: date) -> Mapping[EmploymentType, int]:
        return self.headcounts.get(month, {})

    def expected_in(self, month: date) -> bool:
        """Figures are expected unless the establishment closed before the month began."""
        return self.closed_at is None or self.closed_at.date() >= month or month in self.headcounts


@dataclass(frozen=True, slots=True)
class WorkforceFigures:
    """An organisation's figures for some months: what `monthly_figures` returns."""

    organization_id: int
    sector: Sector
    #: The months asked for, oldest first, each the 1st of its month.
    months: tuple[date, ...]
    #: The types this organisation reports (see `employment_types_for`).
    employment_types: tuple[EmploymentType, ...]
    establishments: tuple[EstablishmentFigures, ...]

    def establishment(self, establishment_id: int) -> EstablishmentFigures:
        for establishment in self.establishments:
            if establishment.establishment_id == establishment_id:
                return establishment
        raise KeyError(establishment_id)

    def missing(self, month: date) -> tuple[EstablishmentFigures, ...]:
        """Establishments expected in `month` that lack a figure for one of the types.

        Says nothing about whether the month has ended: callers that ask people for figures
        pass only months that have (`declarations.periods.ended`), so the current month is
        never reported missing (DESIGN.md 3a)."""
        return tuple(
            e
            for e in self.establishments
            if e.expected_in(month) and not set(self.employment_types) <= set(e.recorded(month))
        )

    def headcount(
        self, month: date, establishment_id: int | None = None
    ) -> dict[EmploymentType, int | None]:
        """The headcount by type for a quota `Snapshot`: the organisation's total, or one
        establishment's. A type is `None` (unknown) when an establishment expected that month
        has no figure for it, so a gap in the data shows as insufficient data in the quota
        instead of silently lowering the denominator."""
        chosen = [
            e
            for e in self.establishments
            if (establishment_id is None or e.establishment_id == establishment_id)
            and e.expected_in(month)
        ]
        return self._totals(month, chosen)

    def establishment_headcount(
        self, month: date, establishment: EstablishmentFigures
    ) -> dict[EmploymentType, int | None]:
        """`headcount(month, establishment.establishment_id)` without searching the list for
        it (a loop over the establishments already has each one)."""
        return self._totals(month, [establishment] if establishment.expected_in(month) else [])

    def _totals(
        self, month: date, chosen: Sequence[EstablishmentFigures]
    ) -> dict[EmploymentType, int | None]:
        totals: dict[EmploymentType, int | None] = {}
        for kind in self.employment_types:
            values = [e.recorded(month).get(kind) for e in chosen]
            known = [v for v in values if v is not None]
            totals[kind] = sum(known) if chosen and len(known) == len(values) else None
        return totals


def monthly_figures(
    session: Session, organization_id: int, months: Iterable[date]
) -> WorkforceFigures:
    """The organisation's recorded figures for `months`, per establishment, month and type.

    Reads within the session's tenant reach (an organisation outside it is `NotFound`); every
    establishment is listed, closed ones too, so past months stay complete.
    """
    wanted = tuple(sorted({month_start(m) for m in months}))
    ahead = read_ahead.figures_of(session, organization_id, wanted)
    if ahead is not None:
        sector, establishments, rows = ahead
    else:
        organization = session.scalar(
            select(Organization).where(Organization.id == organization_id)
        )
        if organization is None:
            raise NotFound(_("Organisation not found."))
        sector = organization.sector
        establishments = list(
            session.scalars(
                select(Establishment)
                .where(Establishment.organization_id == organization_id)
                .order_by(Establishment.is_head_office.desc(), Establishment.name, Establishment.id)
            )
        )
        rows = (
            list(
                session.execute(
                    select(
                        WorkforceFigure.establishment_id,
                        WorkforceFigure.month,
                        WorkforceFigure.employment_type,
                        WorkforceFigure.headcount,
                    ).where(
                        WorkforceFigure.organization_id == organization_id,
                        WorkforceFigure.month.in_(wanted),
                    )
                )
            )
            if wanted
            else []
        )
    by_establishment: dict[int, dict[date, dict[EmploymentType, int]]] = {
        e.id: {} for e in establishments
    }
    # By position, the last four: a job's rows read ahead hold the organisation id first, and
    # a row's lookup by name costs several times its index (3,600 rows a year of 50 sites).
    for row in rows:
        *_organization, establishment_id, month, kind, headcount = row
        by_establishment[establishment_id].setdefault(month, {})[kind] = headcount
    return WorkforceFigures(
        organization_id=organization_id,
        sector=sector,
        months=wanted,
        employment_types=employment_types_for(sector),
        establishments=tuple(
            EstablishmentFigures(
                establishment_id=e.id,
                name=e.name,
                regency_code=e.regency_code,
                is_head_office=e.is_head_office,
                closed_at=e.closed_at,
                headcounts=by_establishment[e.id],
            )
            for e in establishments
        ),
    )


def establishment_month(
    session: Session, actor: User, establishment_id: int, month: date
) -> dict[EmploymentType, int]:
    """One establishment's recorded head counts for one month, by type (what the API reads
    and versions with its ETag); an establishment the actor may not manage is `NotFound`."""
    establishment = get_establishment(session, actor, establishment_id)
    figures = monthly_figures(session, establishment.organization_id, [month])
    return dict(figures.establishment(establishment.id).recorded(month_start(month)))


def counts_field(error: ServiceError) -> str:
    """Where in a `{month, headcount: {type: n}}` body a refusal belongs: a type code is a
    head count's field (`headcount.permanent`), any other field is its own."""
    if error.field == "month":
        return "month"
    return f"headcount.{error.field}" if error.field else "headcount"


@dataclass(frozen=True)
class FiguresEntry:
    establishment_id: int
    month: date
    counts: Mapping[str, int]


def record_many_figures(
    session: Session, actor: User, entries: Iterable[FiguresEntry]
) -> tuple[int, int]:
    """Record many establishment-months at once, all or nothing (the API's bulk upsert): a
    refused entry stops the whole batch, its error naming it (`items.3.headcount.permanent`).
    Returns how many entries changed something and how many were already so."""
    changed = unchanged = 0
    presence: dict[int, RosterPresence] = {}
    for index, entry in enumerate(entries):
        try:
            establishment = get_establishment(session, actor, entry.establishment_id)
            roster = presence.setdefault(
                establishment.organization_id,
                RosterPresence(session, establishment.organization_id),
            )
            diff = record_monthly_figures(
                session, actor, entry.establishment_id, entry.month, entry.counts, roster=roster
            )
        except NotFound as error:
            raise ServiceError(error.message, field=f"items.{index}.establishment_id") from None
        except ServiceError as error:
            raise ServiceError(
                error.message, field=f"items.{index}.{counts_field(error)}"
            ) from None
        changed, unchanged = (changed + 1, unchanged) if diff else (changed, unchanged + 1)
    return changed, unchanged
