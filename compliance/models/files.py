"""Uploaded files kept in the database, so every instance of the application can read them.

An import's upload is checked on the instance that received it and confirmed, perhaps, on
another; a case attachment is downloaded from any of them. On a local disk they were visible
to one machine only. A `StoredFile` holds the bytes encrypted with the data keys (an upload is
a roster, with disability data: specific personal data, encrypted at rest like the roster's own
columns), their size and the SHA-256 of the plain bytes, checked on every read.

The content column is deferred: listing files or jobs never loads the bytes.
"""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import OrganizationScoped, enum_column


class FilePurpose(enum.StrEnum):
    IMPORT = "import"
    CASE_ATTACHMENT = "case_attachment"


class StoredFile(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    purpose: Mapped[FilePurpose] = mapped_column(
        enum_column(FilePurpose, "file_purpose"), nullable=False
    )
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Of the plain bytes: what a reader checks the decrypted content against.
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The bytes as one data-key token (`models.types.KeyRing`): ASCII, so TEXT everywhere.
    content: Mapped[str] = mapped_column(Text, nullable=False, deferred=True)
