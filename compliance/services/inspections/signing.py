"""The server's Ed25519 key for evidence packs: signing a manifest and checking a signature.

The private key is `EVIDENCE_SIGNING_KEY` (base64 of 32 bytes). Verification always uses the
server's own public key, never one carried inside a pack: anyone can sign a forged pack with a
key of their own. The pack names the key that signed it (`key_id`, a hash of its public key) so
a pack signed by another server is reported as such instead of as "tampered".
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from compliance.services import settings


def private_key(encoded: str | None = None) -> Ed25519PrivateKey:
    raw = base64.b64decode(encoded if encoded is not None else settings().evidence_signing_key)
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(data: bytes, key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.sign(data)).decode()


def is_valid(data: bytes, signature: str, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True
