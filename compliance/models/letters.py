"""The inspectorate's letters: each province's office (the letterhead) and the nota letters.

`InspectorateOffice` is what an administrator keeps per province for the kop surat of a nota
pemeriksaan: the office's name, address, telephone, the town the letters are dated in, and the
code its letter numbers carry. It is reference data, not tenant data.

A `CaseLetter` is one nota pemeriksaan I or II as issued: the PDF's exact bytes and their
SHA-256, tied to the case event that issued it. Like a submitted declaration it never changes
and is never deleted by the application (the ORM refuses both), so the hash on the timeline
always describes the bytes both sides download, and a copy whose bytes differ is not the letter.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.inspections import CaseEvent, InspectionCase
from compliance.models.organizations import OrganizationScoped, enum_column
from compliance.models.regions import Province


class InspectorateOffice(Base):
    __tablename__ = "inspectorate_offices"

    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), primary_key=True)
    #: "Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta".
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: The unit under the office that inspects, e.g. "Bidang Pengawasan Ketenagakerjaan".
    unit: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    #: The town a letter is dated in ("Jakarta, 4 Desember 2026").
    city: Mapped[str] = mapped_column(String(100), nullable=False)
    #: The office's part of a letter number ("Disnakertrans-DKI" in "0007/NP-I/.../XII/2026").
    letter_code: Mapped[str] = mapped_column(String(40), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    province: Mapped[Province] = relationship()


class LetterKind(enum.StrEnum):
    NOTA_1 = "nota_1"
    NOTA_2 = "nota_2"


class CaseLetter(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "inspection_case_letters"
    #: Letter numbers run per issuing province and year, as an office's agenda book does.
    __table_args__ = (UniqueConstraint("province_code", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    case_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_cases.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The timeline entry that issued the letter (nota I: the finding; nota II: the escalation).
    event_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_case_events.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    kind: Mapped[LetterKind] = mapped_column(enum_column(LetterKind, "letter_kind"), nullable=False)
    number: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    filename: Mapped[str] = mapped_column(String(120), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)

    case: Mapped[InspectionCase] = relationship()
    event: Mapped[CaseEvent] = relationship()


class LetterChangedError(RuntimeError):
    """Code tried to change or delete an issued letter: a bug, never a user error."""


@event.listens_for(CaseLetter, "before_update")
def _refuse_changing(_mapper: Mapper[Any], _connection: Any, target: CaseLetter) -> None:
    raise LetterChangedError(f"letter {target.id} was issued and is immutable")


@event.listens_for(CaseLetter, "before_delete")
def _refuse_deleting(_mapper: Mapper[Any], _connection: Any, target: CaseLetter) -> None:
    raise LetterChangedError(f"letter {target.id} was issued and is immutable")
