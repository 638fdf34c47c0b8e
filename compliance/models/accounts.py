"""People who log in, what they may reach, invitations and the login-attempt log."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    or_,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import WIB, Zone, utcnow, zone_of_region
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import (
    Organization,
    OrganizationScoped,
    enum_column,
)
from compliance.models.regions import Province, Regency
from compliance.models.tenancy import Reach, TenantScoped, nothing


class Role(enum.StrEnum):
    HR_MANAGER = "hr_manager"
    INSPECTOR = "inspector"
    REGISTRY_OFFICER = "registry_officer"
    ADMIN = "admin"


inspector_provinces = Table(
    "inspector_provinces",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("province_code", ForeignKey("provinces.code"), primary_key=True),
)

officer_regencies = Table(
    "officer_regencies",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("regency_code", ForeignKey("regencies.code"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(TenantScoped, CreatedAtMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased: one address, one account.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), nullable=False)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str | None] = mapped_column(String(5))
    #: Part of the login cookie; replaced on a password change so other sessions end.
    session_token: Mapped[str] = mapped_column(
        String(64), default=new_session_token, nullable=False
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    #: Nomor Induk Pegawai, the 18 digits of a civil servant (`services.staff.parse_nip`): an
    #: inspector signs a nota pemeriksaan with name and NIP. Staff accounts only.
    nip: Mapped[str | None] = mapped_column(String(18))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization | None] = relationship()
    provinces: Mapped[list[Province]] = relationship(
        secondary=inspector_provinces, order_by=Province.code
    )
    regencies: Mapped[list[Regency]] = relationship(
        secondary=officer_regencies, order_by=Regency.code
    )

    # Flask-Login's user protocol, written out so the model needs no Flask import.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def zone(self) -> Zone:
        """The zone this person's screen shows times in (the rule is in `compliance.clock`)."""
        if self.organization is not None:
            return self.organization.zone
        regions = [p.code for p in self.provinces] or [r.code for r in self.regencies]
        return zone_of_region(regions[0]) if regions else WIB

    def reach(self) -> Reach:
        """What this user may see: the single source the web layer scopes queries with."""
        if not self.is_active:
            return Reach.nobody()
        if self.role is Role.ADMIN:
            return Reach.for_everything()
        if self.role is Role.HR_MANAGER and self.organization_id is not None:
            return Reach(organization_id=self.organization_id, user_id=self.id)
        if self.role is Role.INSPECTOR:
            return Reach(province_codes=frozenset(p.code for p in self.provinces), user_id=self.id)
        if self.role is Role.REGISTRY_OFFICER:
            return Reach(regency_codes=frozenset(r.code for r in self.regencies), user_id=self.id)
        return Reach(user_id=self.id)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        if reach.everything:
            return true()
        own = cls.id == reach.user_id if reach.user_id is not None else nothing()
        if reach.organization_id is not None:
            return or_(own, cls.organization_id == reach.organization_id)
        return own

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class Invitation(OrganizationScoped, CreatedAtMixin, Base):
    """An HR manager's invitation of a colleague; the e-mailed token is stored only hashed."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()


class LoginAttempt(Base):
    """Every login attempt, kept in the database so the rate limit holds across instances."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created_at", "email", "created_at"),
        Index("ix_login_attempts_ip_created_at", "ip_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    ip_address: Mapped[str] = mapped_column(String(45), nullable=False)
    is_success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class RateLimitHit(Base):
    """One use of a public, costly page by one address (`services.throttle`), kept in the
    database so the limit holds across instances, as the login limit does."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_scope_key_at", "scope", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
