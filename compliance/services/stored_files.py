"""Keeping an uploaded file in the database: store, read back checked, delete.

Imports and case attachments go through here (`models.files` says why the database, not a
disk). The bytes are encrypted with the data keys before they are stored and their SHA-256 is
checked when they are read, so a changed row is an error rather than a silently different file.
Reading and deleting take the file's id from the row that owns it (an import job, an attachment)
which the caller has already found within the user's reach.
"""

from __future__ import annotations

import hashlib
import logging

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, undefer

from compliance.models.files import FilePurpose, StoredFile
from compliance.models.types import key_ring
from compliance.services import NotFound, ServiceError

log = logging.getLogger(__name__)


class StoredFileChanged(ServiceError):
    """The bytes read back do not match the SHA-256 stored with them: never served, and said
    so in plain words (the request boundary answers 400 with the sentence) and in the log."""


def store_file(
    session: Session, organization_id: int, purpose: FilePurpose, data: bytes
) -> StoredFile:
    stored = StoredFile(
        organization_id=organization_id,
        purpose=purpose,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=key_ring().encrypt(data),
    )
    session.add(stored)
    session.flush()
    return stored


def read_file(session: Session, file_id: int) -> bytes:
    stored = session.scalar(
        select(StoredFile).where(StoredFile.id == file_id).options(undefer(StoredFile.content))
    )
    if stored is None:
        raise NotFound("file not found")
    data = key_ring().decrypt(stored.content)
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        log.error("stored file does not match its SHA-256", extra={"file_id": file_id})
        raise StoredFileChanged(
            _("This file was changed after it was stored, so it is not served. Tell the team.")
        )
    return data


def delete_file(session: Session, file_id: int) -> None:
    session.execute(delete(StoredFile).where(StoredFile.id == file_id))
