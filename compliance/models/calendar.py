"""Days off the government announces after the holiday list we ship was published.

Deadlines of a nota pemeriksaan are counted in working days (services.inspections.working_days).
The national list of public holidays and cuti bersama comes from the `holidays` library, pinned
in requirements.lock; when the government adds a day later than that release (a Keppres for an
election day, an SKB that moves a cuti bersama), an administrator records it here so deadlines
counted from then on skip it. Not tenant data: one list for the whole country.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, CreatedAtMixin


class ExtraHoliday(CreatedAtMixin, Base):
    __tablename__ = "extra_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One row per day: a day is off or it is not, whatever the number of reasons.
    day: Mapped[date] = mapped_column(Date, unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
