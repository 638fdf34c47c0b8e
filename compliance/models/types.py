"""Column types that encrypt specific personal data at rest (UU 27/2022 Pasal 4(2)(a)).

Disability categories, accommodations, evidence numbers and guardians' names are stored as
tokens, so a database dump, a backup or a replica leaks nothing readable without the keys in
configuration.

The cipher is AES-256-GCM (authenticated: a token altered in the database fails to decrypt)
from `cryptography`. Fernet, used before, costs about five times more per value, and a bulk
import encrypts three values per row (bench/imports.py); tokens written by Fernet are still read.
A token is `v2:<key id>:<base64url(nonce | ciphertext)>`; the key id says which key of the ring
wrote it, so decryption needs no trial and error.

The ring is set once by the application factory (`configure_data_keys`) from `DATA_KEYS`
(Fernet-format keys, newest first): the first key encrypts, every key decrypts. Rotation is
adding a new key in front, running `flask keys rotate` (which re-encrypts every stored value
with it), then removing the old key. The ring lives in this module rather than in Flask's config
because a `TypeDecorator` only sees the dialect, and the models layer must not import Flask.

Encrypted columns cannot be searched or sorted in SQL; nothing needs to.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, Table, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_PREFIX = "v2"
_NONCE_BYTES = 12


class DataKeysMissing(RuntimeError):
    """Encrypted data was touched before the application configured its data keys."""


class KeyRing:
    """AES-256-GCM keys derived from the configured data keys; the first one encrypts."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise DataKeysMissing("at least one data key is needed (DATA_KEYS)")
        self._legacy = MultiFernet([Fernet(key.encode()) for key in keys])
        self._ciphers: dict[str, AESGCM] = {}
        self._primary = ""
        for key in keys:
            raw = base64.urlsafe_b64decode(key.encode())
            derived = HKDF(hashes.SHA256(), 32, salt=None, info=b"kuota-inklusi data v2").derive(
                raw
            )
            key_id = hashlib.sha256(b"key-id" + derived).hexdigest()[:8]
            self._ciphers.setdefault(key_id, AESGCM(derived))
            self._primary = self._primary or key_id

    def encrypt(self, plain: bytes) -> str:
        return self.encrypt_many([plain])[0]

    def encrypt_many(self, plains: Sequence[bytes]) -> list[str]:
        """Each value as a token of its own; the nonces come from one read of the system's
        random source, which a bulk import of 300,000 values feels (bench/imports.py)."""
        cipher = self._ciphers[self._primary].encrypt
        encode = base64.urlsafe_b64encode
        prefix = f"{_PREFIX}:{self._primary}:"
        randomness = os.urandom(_NONCE_BYTES * len(plains))
        nonces = (randomness[i : i + _NONCE_BYTES] for i in range(0, len(randomness), _NONCE_BYTES))
        return [
            prefix + encode(nonce + cipher(nonce, plain, None)).decode("ascii")
            for nonce, plain in zip(nonces, plains, strict=True)
        ]

    def decrypt(self, token: str) -> bytes:
        if not token.startswith(f"{_PREFIX}:"):
            return self._legacy.decrypt(token.encode("ascii"))  # written by Fernet
        _, key_id, body = token.split(":", 2)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise InvalidToken(f"no data key with id {key_id} (was it removed too early?)")
        sealed = base64.urlsafe_b64decode(body.encode("ascii"))
        try:
            return cipher.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], None)
        except InvalidTag:
            raise InvalidToken("the encrypted value was altered") from None

    def rotate(self, token: str) -> str:
        """The same value encrypted with the newest key."""
        return self.encrypt(self.decrypt(token))


_key_ring: KeyRing | None = None


def configure_data_keys(keys: Sequence[str]) -> None:
    """Install the key ring, newest key first. Called by `create_app`, once per app."""
    global _key_ring  # one ring per process: the TypeDecorator cannot reach the app
    _key_ring = KeyRing(keys)


def key_ring() -> KeyRing:
    if _key_ring is None:
        raise DataKeysMissing("configure_data_keys() was not called")
    return _key_ring


class EncryptedText(TypeDecorator[str]):
    """Text stored as a token (ASCII, so a TEXT column on every database)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return self.bind_many([value])[0]

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return self.result_many([value])[0]

    def result_many(self, tokens: Sequence[str | None]) -> list[str | None]:
        """Many tokens read at once, None staying None."""
        decrypt = key_ring().decrypt
        return [None if token is None else decrypt(token).decode() for token in tokens]

    def bind_many(self, values: Sequence[str | None]) -> list[str | None]:
        """Many values bound at once (`services.imports.bulk`), None staying None."""
        return _encrypt_many([None if v is None else v.encode() for v in values])


_DECODED_LISTS: dict[bytes, tuple[str, ...]] = {}
_DECODED_LISTS_MAX = 1024


class EncryptedList(TypeDecorator[list[str]]):
    """A list of short strings (codes), JSON-encoded and then encrypted as one token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str | None:
        return self.bind_many([value])[0]

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str] | None:
        return self.result_many([value])[0]

    def result_many(self, tokens: Sequence[str | None]) -> list[list[str] | None]:
        """Many tokens read at once; each distinct list is decoded from JSON once (the lists
        are codes that repeat down a roster, and a column reads its rows one at a time, so the
        decoded lists are kept across calls: a few dozen plain code lists, linked to nobody)."""
        decrypt = key_ring().decrypt
        decoded = _DECODED_LISTS
        if len(decoded) > _DECODED_LISTS_MAX:
            decoded.clear()
        lists: list[list[str] | None] = []
        for token in tokens:
            if token is None:
                lists.append(None)
                continue
            plain = decrypt(token)
            if plain not in decoded:
                decoded[plain] = tuple(str(item) for item in json.loads(plain))
            lists.append(list(decoded[plain]))
        return lists

    def bind_many(self, values: Sequence[Sequence[str] | None]) -> list[str | None]:
        """Many lists bound at once; the same lists repeat down a roster, so each distinct one
        is encoded to JSON once (the encryption still gives every row its own token)."""
        encoded: dict[tuple[str, ...], bytes] = {}
        plains: list[bytes | None] = []
        for value in values:
            if value is None:
                plains.append(None)
                continue
            key = tuple(value)
            if key not in encoded:
                encoded[key] = json.dumps(list(key), separators=(",", ":")).encode()
            plains.append(encoded[key])
        return _encrypt_many(plains)


def _encrypt_many(plains: Sequence[bytes | None]) -> list[str | None]:
    present = [plain for plain in plains if plain is not None]
    tokens = iter(key_ring().encrypt_many(present))
    return [None if plain is None else next(tokens) for plain in plains]


def encrypted_columns(tables: Sequence[Table]) -> Iterator[Column[Any]]:
    """Every encrypted column of `tables`, for rotation."""
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText | EncryptedList):
                yield column
