"""Column types that encrypt specific personal data at rest (UU 27/2022 Pasal 4(2)(a)).

Disability categories, accommodations and evidence numbers are stored as Fernet tokens, so a
database dump, a backup or a replica leaks nothing readable without the keys in configuration.

The key ring is a `MultiFernet` set once by the application factory (`configure_data_keys`): the
first key encrypts, every key decrypts. Rotation is adding a new key in front, running
`flask keys rotate` (which re-encrypts every stored value with it), then removing the old key.
The ring lives in this module rather than in Flask's config because a `TypeDecorator` only sees
the dialect, and the models layer must not import Flask.

Encrypted columns cannot be searched or sorted in SQL; nothing needs to.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Column, Table, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_key_ring: MultiFernet | None = None


class DataKeysMissing(RuntimeError):
    """Encrypted data was touched before the application configured its data keys."""


def configure_data_keys(keys: Sequence[str]) -> None:
    """Install the key ring, newest key first. Called by `create_app`, once per app."""
    global _key_ring  # one ring per process: the TypeDecorator cannot reach the app
    if not keys:
        raise DataKeysMissing("at least one data key is needed (DATA_KEYS)")
    _key_ring = MultiFernet([Fernet(key.encode()) for key in keys])


def key_ring() -> MultiFernet:
    if _key_ring is None:
        raise DataKeysMissing("configure_data_keys() was not called")
    return _key_ring


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token (URL-safe base64, so a TEXT column on every database)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return key_ring().encrypt(value.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return key_ring().decrypt(value.encode("ascii")).decode()


class EncryptedList(TypeDecorator[list[str]]):
    """A list of short strings (codes), JSON-encoded and then encrypted as one token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        plain = json.dumps(list(value), separators=(",", ":"))
        return key_ring().encrypt(plain.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str] | None:
        if value is None:
            return None
        decoded: Any = json.loads(key_ring().decrypt(value.encode("ascii")))
        return [str(item) for item in decoded]


def encrypted_columns(tables: Sequence[Table]) -> Iterator[Column[Any]]:
    """Every encrypted column of `tables`, for rotation."""
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText | EncryptedList):
                yield column
