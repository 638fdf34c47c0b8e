"""The officers' list of candidates: filtered, ordered and paged in the database.

Like the roster (`services.roster`), the query string names the filters and the order from a
whitelist, a wrong value is a `ServiceError` on its field, and a page past the last shows the
last (`services.paging`). Names, contacts and disabilities are encrypted and never filtered or
sorted on (`models.types`): an officer finds a candidate by number, regency, skill, readiness
and status, and only the page's candidates are decrypted.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from compliance.labels import SKILLS
from compliance.models.accounts import User
from compliance.models.regions import Regency
from compliance.models.registry import Availability, Candidate, CandidateSkill, CandidateStatus
from compliance.services import ServiceError, paging
from compliance.services.registry.candidates import officer_regencies


class CandidateSort(enum.StrEnum):
    """The orders the list offers (a whitelist: the query string names one of these)."""

    NEWEST = "newest"
    NUMBER = "number"
    REGENCY = "regency"
    AVAILABILITY = "availability"


_ORDER: dict[CandidateSort, tuple[Any, ...]] = {
    CandidateSort.NEWEST: (Candidate.id.desc(),),
    CandidateSort.NUMBER: (Candidate.id,),
    CandidateSort.REGENCY: (Regency.name, Candidate.id),
    CandidateSort.AVAILABILITY: (Candidate.availability, Candidate.id),
}


@dataclass(frozen=True)
class CandidateFilters:
    number: int | None = None
    status: CandidateStatus | None = None
    availability: Availability | None = None
    regency: str = ""
    skill: str = ""
    sort: CandidateSort = CandidateSort.NEWEST
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return any((self.number, self.status, self.availability, self.regency, self.skill))

    def as_args(self, **changes: object) -> dict[str, str]:
        """The query string of these filters (the pager's links), defaults left out."""
        values: dict[str, object] = {
            "q": self.number,
            "status": self.status,
            "availability": self.availability,
            "regency": self.regency,
            "skill": self.skill,
            "sort": self.sort,
            "page": self.page,
        }
        values.update(changes)
        defaults: dict[str, object] = {"sort": CandidateSort.NEWEST, "page": 1}
        return {
            key: str(value)
            for key, value in values.items()
            if value not in (None, "") and value != defaults.get(key)
        }


def _choice(enum_cls: type[enum.StrEnum], raw: str, name: str) -> Any:
    if not raw:
        return None
    if raw not in {member.value for member in enum_cls}:
        raise ServiceError(_("There is no such choice: %(value)s.", value=raw), field=name)
    return enum_cls(raw)


def parse_candidate_filters(args: Mapping[str, str], regencies: set[str]) -> CandidateFilters:
    """The list's filters from a query string; `regencies` are the officer's own."""
    raw_number = (args.get("q") or "").strip().lstrip("#")
    number = paging.whole_number(raw_number) if raw_number else None
    if raw_number and number is None:
        raise ServiceError(_("Enter a candidate's number, for example 12."), field="q")
    regency = (args.get("regency") or "").strip()
    if regency and regency not in regencies:
        raise ServiceError(_("There is no such choice: %(value)s.", value=regency), field="regency")
    skill = (args.get("skill") or "").strip()
    if skill and skill not in SKILLS:
        raise ServiceError(_("There is no such choice: %(value)s.", value=skill), field="skill")
    return CandidateFilters(
        number=number,
        status=_choice(CandidateStatus, (args.get("status") or "").strip(), "status"),
        availability=_choice(
            Availability, (args.get("availability") or "").strip(), "availability"
        ),
        regency=regency,
        skill=skill,
        sort=_choice(CandidateSort, (args.get("sort") or "").strip(), "sort")
        or CandidateSort.NEWEST,
        page=paging.page_number(args),
    )


@dataclass(frozen=True)
class CandidatePage(paging.Page[Candidate]):
    filters: CandidateFilters = field(default_factory=CandidateFilters)


def list_candidates(
    session: Session, actor: User, filters: CandidateFilters | None = None
) -> CandidatePage:
    """One page of the candidates in the officer's regencies (the tenant scope keeps them to
    those), filtered and ordered in the database."""
    officer_regencies(actor)
    filters = filters or CandidateFilters()
    where: list[ColumnElement[bool]] = []
    if filters.number is not None:
        where.append(Candidate.id == filters.number)
    if filters.status is not None:
        where.append(Candidate.status == filters.status)
    if filters.availability is not None:
        where.append(Candidate.availability == filters.availability)
    if filters.regency:
        where.append(Candidate.regency_code == filters.regency)
    if filters.skill:
        where.append(Candidate.skills.any(CandidateSkill.skill_code == filters.skill))
    total = session.scalar(select(func.count(Candidate.id)).where(*where)) or 0
    number = paging.within(filters.page, total)
    rows = list(
        session.scalars(
            select(Candidate)
            .join(Regency, Regency.code == Candidate.regency_code)
            .where(*where)
            .options(selectinload(Candidate.skills), selectinload(Candidate.regency))
            .order_by(*_ORDER[filters.sort])
            .offset((number - 1) * paging.PAGE_SIZE)
            .limit(paging.PAGE_SIZE)
        )
    )
    return CandidatePage(rows, number, total, paging.PAGE_SIZE, replace(filters, page=number))


def candidates_page(
    session: Session,
    actor: User,
    cursor: str | None,
    limit: int,
    *,
    status: CandidateStatus | None = None,
    regency: str = "",
) -> paging.CursorPage[Candidate]:
    """The officer's candidates in id order, one cursor page (the API): a sync that walks the
    registry sees each candidate once, however many are added meanwhile."""
    mine = officer_regencies(actor)
    if regency and regency not in mine:
        raise ServiceError(_("There is no such choice: %(value)s.", value=regency), field="regency")
    query = select(Candidate).options(
        selectinload(Candidate.skills),
        selectinload(Candidate.locations),
        selectinload(Candidate.consents),
    )
    if status is not None:
        query = query.where(Candidate.status == status)
    if regency:
        query = query.where(Candidate.regency_code == regency)
    return paging.cursor_page(session, query, Candidate.id, cursor, limit)
