"""The declarative base every model shares, with constraint names Alembic can rely on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from compliance.clock import utcnow

#: Deterministic constraint names, so migrations on SQLite (batch mode) and PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


def is_ours(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Alembic's `include_name`: procrastinate's tables (`procrastinate_*`, created by migration
    0020 from the package's own schema) are the task queue's, not our models'; autogenerate and
    the schema test leave them alone."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))
