"""Reference data: Indonesia's provinces and regencies/cities with their Kemendagri codes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base


class Province(Base):
    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)

    regencies: Mapped[list[Regency]] = relationship(
        back_populates="province", order_by="Regency.code"
    )

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


class Regency(Base):
    """A kabupaten or kota; its code is `PP.RR` where `PP` is the province code."""

    __tablename__ = "regencies"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    province_code: Mapped[str] = mapped_column(
        ForeignKey("provinces.code"), index=True, nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)

    province: Mapped[Province] = relationship(back_populates="regencies")

    def __repr__(self) -> str:
        return f"<Regency {self.code} {self.name}>"
