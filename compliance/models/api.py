"""Personal access tokens for the JSON API, and the answers kept for `Idempotency-Key`.

A token belongs to one user and acts with exactly that user's role and reach (never more);
it is not tenant data, so only its owner's own queries (by `user_id`) ever read it. The
secret is shown once, when it is made; only its SHA-256 is stored. A random 256-bit secret
needs no slow password hash: nothing about it can be guessed, and looking it up by its hash
costs one index probe per request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.accounts import User
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.types import EncryptedText


class ApiToken(CreatedAtMixin, Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The owner's words for it ("Payroll sync"); written into the audit trail of each write.
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    #: The token's first characters, shown in the list so the owner knows which is which.
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    #: Read-only tokens answer 403 to every write, whatever their owner's role allows.
    can_write: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def scopes(self) -> tuple[str, ...]:
        return ("read", "write") if self.can_write else ("read",)


class IdempotentAnswer(Base):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed to its repeats.

    Keyed by token and key; `request_hash` tells a true retry (same method, path and body)
    from a different request reusing a key, which is refused. Kept for a day.
    """

    __tablename__ = "api_idempotent_answers"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_api_idempotent_answers_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="CASCADE"), nullable=False
    )
    key: Mapped[str] = mapped_column(String(255), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Encrypted like every stored personal datum: an answer may echo a roster entry.
    body: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True, nullable=False)
