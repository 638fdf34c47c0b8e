"""Password hashing (argon2id), strength rules and signed password-reset tokens."""

from __future__ import annotations

import hashlib
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from compliance.models.accounts import User
from compliance.services import ServiceError, settings

MIN_LENGTH = 10
#: The passwords most often tried first; length alone does not stop these.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "password123",
        "password1234",
        "qwertyuiop",
        "indonesia123",
        "bismillah123",
        "jakarta123",
        "passw0rd123",
        "administrator",
        "iloveyou123",
        "abcdefghij",
        "qwerty12345",
        "1q2w3e4r5t",
        "0987654321",
    }
)


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hasher() -> PasswordHasher:
    config = settings()
    return _hasher(config.argon2_time_cost, config.argon2_memory_cost)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Raise a `ServiceError` on the `password` field when the password is too weak."""
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        raise ServiceError(_("Use at least %(n)d characters.", n=MIN_LENGTH), field="password")
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ServiceError(_("This password is too easy to guess."), field="password")
    local_part = email.split("@", 1)[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and name.lower().replace(" ", "") == lowered
    ):
        raise ServiceError(
            _("The password must not contain your name or e-mail address."),
            field="password",
        )


#: Token purposes and how long each stays valid, in seconds.
RESET = "password-reset"
ACCOUNT_SETUP = "account-setup"


def _max_age(purpose: str) -> int:
    config = settings()
    if purpose == ACCOUNT_SETUP:
        return config.invitation_max_age_days * 86400
    return config.reset_token_max_age


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key, salt=purpose)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does, so a used reset link cannot be used again."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, purpose: str = RESET) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user)})


def read_reset_token(token: str, purpose: str = RESET) -> tuple[int, str]:
    """Return (user id, fingerprint), or raise a `ServiceError` saying why the link is dead."""
    try:
        payload = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except SignatureExpired as exc:
        raise ServiceError(_("This link has expired. Ask for a new one.")) from exc
    except BadSignature as exc:
        raise ServiceError(_("This link is not valid.")) from exc
    return int(payload["uid"]), str(payload["fp"])


def fingerprint_matches(user: User, fingerprint: str) -> bool:
    return _fingerprint(user) == fingerprint
