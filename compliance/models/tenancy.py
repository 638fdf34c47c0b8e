"""Automatic, fail-closed tenant scoping for every ORM query.

This follows SQLAlchemy's documented `do_orm_execute` + `with_loader_criteria` recipe. The actor's
`Reach` is stored in `Session.info`; every SELECT that touches a `TenantScoped` model gets that
reach's criteria added. A query on tenant data in a session with no reach raises
`TenantScopeMissing` instead of returning everybody's rows: forgetting to scope is a crash in
development, never a leak in production.

The web layer sets the reach per request from the logged-in user; CLI commands and jobs set
`Reach.everything()` explicitly. Flask-Login's user loader is the one documented bypass
(`execution_options(skip_tenant_scope=True)`), because the reach is derived from the user.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, Integer, bindparam, event, false
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption

REACH_KEY = "tenant_reach"
SKIP_OPTION = "skip_tenant_scope"


class TenantScopeMissing(RuntimeError):
    """A query touched tenant data without a reach: a programming error, never a user error."""


@dataclass(frozen=True)
class Reach:
    """What one actor may see. Exactly one of the fields below is used, by precedence."""

    everything: bool = False
    organization_id: int | None = None
    province_codes: frozenset[str] = field(default_factory=frozenset)
    regency_codes: frozenset[str] = field(default_factory=frozenset)
    #: The acting user: staff always see their own account, nobody else's.
    user_id: int | None = None

    @classmethod
    def for_everything(cls) -> Reach:
        return cls(everything=True)

    @classmethod
    def nobody(cls) -> Reach:
        return cls()


class TenantScoped:
    """Marker for models whose rows belong to a tenant; subclasses define their criteria."""

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        raise NotImplementedError


def set_reach(session: Session, reach: Reach | None) -> None:
    if reach is None:
        session.info.pop(REACH_KEY, None)
    else:
        session.info[REACH_KEY] = reach


def current_reach(session: Session) -> Reach | None:
    reach = session.info.get(REACH_KEY)
    return reach if isinstance(reach, Reach) else None


@contextmanager
def reach_scope(session: Session, reach: Reach) -> Iterator[None]:
    """Run a block under `reach`, restoring what was there before."""
    previous = current_reach(session)
    set_reach(session, reach)
    try:
        yield
    finally:
        set_reach(session, previous)


def _scoped_classes(state: ORMExecuteState) -> list[type[TenantScoped]]:
    return [m.class_ for m in state.all_mappers if issubclass(m.class_, TenantScoped)]


#: The organisation reach of the statement being executed in this thread (see below).
_executing: ContextVar[Reach | None] = ContextVar("kuota_tenant_reach", default=None)


@event.listens_for(Session, "do_orm_execute")
def _apply_tenant_scope(state: ORMExecuteState) -> None:
    if not state.is_select:
        return
    reach = current_reach(state.session)
    # Bound organisation criteria (`organization_options`) read this while the statement's
    # parameters are built, right after this hook, in this thread: criteria carried over from
    # an earlier load (a refresh, a lazy load) read the reach of this moment, or refuse.
    one_organization = reach is not None and _is_one_organization(reach)
    _executing.set(reach if one_organization else None)
    if state.is_column_load:
        # Refreshing attributes of an object already loaded under scope needs no new check.
        return
    if state.execution_options.get(SKIP_OPTION, False):
        return
    classes = _scoped_classes(state)
    if reach is None:
        if classes:
            names = ", ".join(sorted(c.__name__ for c in classes))
            raise TenantScopeMissing(f"query on {names} without a tenant reach")
        return
    if reach.everything:
        return
    if one_organization:
        state.statement = state.statement.options(*organization_options(reach.user_id is not None))
    else:
        state.statement = state.statement.options(*scope_options(reach))


def _is_one_organization(reach: Reach) -> bool:
    return (
        reach.organization_id is not None
        and not reach.everything
        and not reach.province_codes
        and not reach.regency_codes
    )


def _executing_value(name: str) -> Any:
    reach = _executing.get()
    if reach is None:  # a criterion outside the hook that sets it: refuse, never match all
        raise TenantScopeMissing("tenant criteria executed without a reach")
    return getattr(reach, name)


#: One organisation's reach with bound parameters in place of its values: the criteria are
#: built once, and each statement reads the values of the reach it runs under.
_ORGANIZATION = bindparam(
    "tenant_organization_id", type_=Integer(), callable_=lambda: _executing_value("organization_id")
)
_USER = bindparam("tenant_user_id", type_=Integer(), callable_=lambda: _executing_value("user_id"))


@functools.cache
def organization_options(with_user: bool) -> tuple[LoaderCriteriaOption, ...]:
    """The loader criteria of every scoped model for one organisation's reach, built once.

    An HR manager's request and each organisation a job works on have a reach of their own;
    criteria built per reach cost some 4 ms and 22 KB each (a job meets 500,000 of them), so
    these hold bound parameters whose values come from the reach of the statement being run.
    """
    symbolic = Reach(
        organization_id=cast(int, _ORGANIZATION),
        user_id=cast(int, _USER) if with_user else None,
    )
    return _options(symbolic)


@functools.lru_cache(maxsize=1024)
def scope_options(reach: Reach) -> tuple[LoaderCriteriaOption, ...]:
    """The loader criteria of every scoped model for a regional `reach`, built once per reach.

    Built per query, they cost more than the query itself (bench/tenant_scope.py), and fresh
    criteria objects made SQLAlchemy compile every statement again. A `Reach` is frozen and
    hashable, so the same options serve every query under it; inspectors' and officers'
    reaches are a few hundred in all (organisations use `organization_options`).
    """
    return _options(reach)


def _options(reach: Reach) -> tuple[LoaderCriteriaOption, ...]:
    return tuple(
        with_loader_criteria(cls, cls.tenant_criteria(reach), include_aliases=True)
        for cls in _all_scoped_subclasses()
    )


@functools.cache
def _all_scoped_subclasses() -> tuple[type[TenantScoped], ...]:
    """Every mapped tenant-scoped class, so joins and relationship loads are covered too.
    Read at the first scoped query, when `compliance.models` has imported every model."""
    found: list[type[TenantScoped]] = []
    pending = list(TenantScoped.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if hasattr(cls, "__table__"):
            found.append(cls)
    return tuple(found)


def nothing() -> ColumnElement[bool]:
    return false()
