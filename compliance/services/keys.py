"""Data-key rotation: re-encrypt every encrypted value with the newest key.

Rotation is three steps: put the new key first in DATA_KEYS (old values stay readable because
every key decrypts), run `flask keys rotate`, then drop the old key. The values are read and
written as raw tokens through Core, so nothing is decrypted into Python objects and no ORM
event or tenant scope is involved; the whole rotation is one transaction.
"""

from __future__ import annotations

from sqlalchemy import Text, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from compliance.models.base import Base
from compliance.models.types import encrypted_columns, key_ring
from compliance.services.audit import record_event


def rotate_data_keys(session: Session) -> int:
    """Re-encrypt every value of every encrypted column; return how many values changed."""
    ring = key_ring()
    rotated = 0
    for column in encrypted_columns(Base.metadata.sorted_tables):
        table = column.table
        (key,) = table.primary_key.columns
        raw = type_coerce(column, Text)  # the token itself, not the decrypted value
        rows = session.execute(select(key, raw).where(column.is_not(None))).all()
        if not rows:
            continue
        session.execute(
            table.update()
            .where(key == bindparam("pk"))
            .values({column.name: bindparam("token", type_=Text)}),
            [{"pk": pk, "token": ring.rotate(token)} for pk, token in rows],
        )
        rotated += len(rows)
    record_event(session, None, "keys.rotated", ("DataKeys", None), data={"values": rotated})
    return rotated
