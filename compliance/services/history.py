"""An organisation's history, read from the audit trail as sentences, a page at a time.

HR managers read their organisation's whole history; inspectors read what bears on the quota
(filings, figures, the roster, establishments, inspections; never logins); administrators read
the whole trail (`audit_search`) with the same sentences. Filters (the kind of change, who,
which days) and paging run in the database.

Names come from the reader's reach: an object the reader may not see reads as "an employee",
"a candidate". Employees are named only where the reader already sees them by name (an HR
manager on their roster), never for an inspector, who asks for names with a reason instead.
Who acted is named from their account: staff and HR names are no secret to anyone who may read
the event, and the stored label ("email (role code)") is not for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from compliance.labels import AREA_LABELS, action_prefixes, actor_words, area_of
from compliance.models.accounts import User
from compliance.models.audit import AuditEvent
from compliance.models.organizations import Establishment, Organization
from compliance.models.people import Employee
from compliance.models.referrals import Referral, ReferralRequest
from compliance.models.registry import Candidate, Uld
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import ServiceError, paging
from compliance.services.audit_search import AuditFilters, event_conditions
from compliance.services.history_sentences import Facts, details, sentence
from compliance.services.regions import region_name

#: What an object reads as when its name is not the reader's to see (or it is gone).
SOMETHING: dict[str, LazyString] = {
    "Employee": _l("an employee"),
    "ConsentRecord": _l("an employee"),
    "Candidate": _l("a candidate"),
    "Referral": _l("a request for candidates"),
    "ReferralRequest": _l("a request for candidates"),
    "Establishment": _l("an establishment"),
    "Organization": _l("an organisation"),
    "User": _l("an account"),
    "Uld": _l("a disability service unit"),
}
RECORD = _l("a record")
#: The kinds of change an inspector reads (`organization.RELEVANT_PREFIXES` as areas).
INSPECTOR_AREAS = (
    "declaration",
    "inspection",
    "workforce",
    "establishment",
    "roster",
    "import",
)


@dataclass(frozen=True)
class HistoryFilters:
    """What the reader looks for; empty means "any". `area` is a key of `AREA_LABELS`."""

    area: str = ""
    person: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return bool(self.area or self.person or self.date_from or self.date_to)

    def as_args(self, **changes: object) -> dict[str, str]:
        """The query string of these filters (the pager's links), empty values left out."""
        values: dict[str, object] = {
            "area": self.area,
            "person": self.person,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "page": self.page,
        }
        values.update(changes)
        if values["page"] == 1:
            del values["page"]
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class HistoryLine:
    """One event as its reader sees it."""

    id: int
    occurred_at: datetime
    actor: str
    text: str
    #: The change itself where the event holds it ("Permanent workers (PKWTT): 40 → 42").
    details: tuple[str, ...]
    area: str
    organization_id: int | None = None


@dataclass(frozen=True)
class History(paging.Page[HistoryLine]):
    filters: HistoryFilters = field(default_factory=HistoryFilters)


def _area_condition(areas: Iterable[str]) -> ColumnElement[bool]:
    prefixes = [p for area in areas for p in action_prefixes(area)]
    return or_(*(AuditEvent.action.startswith(p, autoescape=True) for p in prefixes))


def organization_history(
    session: Session,
    organization_id: int,
    filters: HistoryFilters,
    *,
    audit: AuditFilters,
    areas: Sequence[str] | None = None,
    show_people: bool = False,
    size: int = paging.PAGE_SIZE,
) -> History:
    """One page of the organisation's events as sentences, newest first.

    `audit` carries the person and dates (and the reader's zone the days are in); `areas`
    limits the kinds of change the reader may read at all (None: every kind). Raises
    `ServiceError` on the field at fault (an unknown kind, dates the wrong way round).
    """
    if filters.area and (filters.area not in AREA_LABELS or (areas and filters.area not in areas)):
        raise ServiceError(_("Choose one of the listed kinds."), field="area")
    where = [AuditEvent.organization_id == organization_id, *event_conditions(audit)]
    if areas is not None:
        where.append(_area_condition(areas))
    if filters.area:
        where.append(_area_condition([filters.area]))
    total = session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0
    number = paging.within(filters.page, total, size)
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(*where)
            .order_by(AuditEvent.id.desc())
            .offset((number - 1) * size)
            .limit(size)
        )
    )
    lines = describe(session, events, show_people=show_people)
    return History(lines, number, total, size, replace(filters, page=number))


# --- names ------------------------------------------------------------------------------------


def _actor_names(session: Session, events: Sequence[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    # Accounts are scoped to their holder; the names of those who acted on events the reader
    # may read are theirs to see (see the module docstring).
    rows = session.execute(
        select(User.id, User.name).where(User.id.in_(ids)).execution_options(**{SKIP_OPTION: True})
    )
    return {row.id: row.name for row in rows}


def _actor(event: AuditEvent, names: dict[int, str]) -> str:
    if event.actor_id is not None and event.actor_id in names:
        return names[event.actor_id]
    # A deleted account: its e-mail address as it was, with its role in words.
    return actor_words(event.actor_label)


def _ids(events: Sequence[AuditEvent], target_type: str) -> set[int]:
    return {
        int(e.target_id)
        for e in events
        if e.target_type == target_type and e.target_id and e.target_id.isdigit()
    }


def _named(session: Session, model: Any, column: Any, ids: set[int]) -> dict[int, str]:
    """Names of the objects of one type the reader may see (the tenant scope applies)."""
    if not ids:
        return {}
    return {
        row[0]: row[1] for row in session.execute(select(model.id, column).where(model.id.in_(ids)))
    }


def _target_names(
    session: Session, events: Sequence[AuditEvent], show_people: bool
) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    plain = (
        ("Organization", Organization, Organization.name),
        ("Establishment", Establishment, Establishment.name),
        ("ReferralRequest", ReferralRequest, ReferralRequest.title),
        ("Uld", Uld, Uld.name),
    )
    for type_name, model, column in plain:
        for key, name in _named(session, model, column, _ids(events, type_name)).items():
            found[(type_name, key)] = name
    referrals = _ids(events, "Referral")
    if referrals:
        rows = session.execute(
            select(Referral.id, ReferralRequest.title)
            .join(ReferralRequest, ReferralRequest.id == Referral.request_id)
            .where(Referral.id.in_(referrals))
        )
        found.update({("Referral", row[0]): row[1] for row in rows})
    users = _ids(events, "User")
    if users:
        rows = session.execute(
            select(User.id, User.name)
            .where(User.id.in_(users))
            .execution_options(**{SKIP_OPTION: True})
        )
        found.update({("User", row[0]): row[1] for row in rows})
    if show_people:
        employees = _ids(events, "Employee") | {
            int(e.data["employee_id"])
            for e in events
            if e.target_type == "ConsentRecord" and str(e.data.get("employee_id", "")).isdigit()
        }
        for key, name in _named(session, Employee, Employee.name, employees).items():
            found[("Employee", key)] = name
        for key, name in _named(
            session, Candidate, Candidate.name, _ids(events, "Candidate")
        ).items():
            found[("Candidate", key)] = name
    return found


def _target(event: AuditEvent, names: dict[tuple[str, int], str]) -> str:
    kind, raw = event.target_type, event.target_id or ""
    if kind == "ConsentRecord":
        kind, raw = "Employee", str(event.data.get("employee_id", ""))
    if raw.isdigit() and (kind, int(raw)) in names:
        return names[(kind, int(raw))]
    return str(SOMETHING.get(event.target_type, RECORD))


def _region_names(session: Session, events: Sequence[AuditEvent]) -> dict[str, str]:
    codes: set[str] = set()
    for event in events:
        codes.update(str(event.data[key]) for key in ("scope", "province") if key in event.data)
        for pair in [(event.data.get("changes") or {}).get("regency_code")]:
            if isinstance(pair, list | tuple):
                codes.update(str(code) for code in pair if code)
    return {code: region_name(session, code) for code in codes}


def describe(
    session: Session, events: Sequence[AuditEvent], *, show_people: bool = False
) -> list[HistoryLine]:
    """The events as sentences, with their actors' and objects' names read in a few queries."""
    actors = _actor_names(session, events)
    targets = _target_names(session, events, show_people)
    regions = _region_names(session, events)
    lines = []
    for event in events:
        facts = Facts(_actor(event, actors), _target(event, targets), event.data or {}, regions)
        lines.append(
            HistoryLine(
                id=event.id,
                occurred_at=event.occurred_at,
                actor=facts.actor,
                text=sentence(event.action, facts, by_person=event.actor_id is not None),
                details=details(event.action, facts),
                area=area_of(event.action),
                organization_id=event.organization_id,
            )
        )
    return lines
