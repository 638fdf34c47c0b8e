"""`Idempotency-Key` for the API's POSTs: a retried request gets the first answer again.

A client that lost the answer to a POST (a timeout, a dropped connection) sends it again with
the same key and gets the same answer, without the change happening twice. The answer is
stored in the transaction of the change itself, so it exists exactly when the change does; a
second request racing the first on the same key loses on the unique key and answers 409. A key
reused for a different request (another path or body) is refused. Answers are kept a day.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.api import IdempotentAnswer
from compliance.services import ServiceError

KEEP_FOR = timedelta(days=1)
MAX_KEY_LENGTH = 255


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def checked_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ServiceError(
            _("An Idempotency-Key is 1 to 255 printable ASCII characters."),
            field="Idempotency-Key",
        )
    return key


def earlier_answer(
    session: Session, token_id: int, key: str, fingerprint: str
) -> IdempotentAnswer | None:
    """The answer already given to this key, or None; a key used for another request is
    refused."""
    answer = session.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.token_id == token_id,
            IdempotentAnswer.key == key,
            IdempotentAnswer.created_at > utcnow() - KEEP_FOR,
        )
    )
    if answer is not None and answer.request_hash != fingerprint:
        raise ServiceError(
            _(
                "This Idempotency-Key was used for a different request. "
                "Use a new key for each new request."
            ),
            field="Idempotency-Key",
        )
    return answer


def remember_answer(
    session: Session,
    token_id: int,
    key: str,
    fingerprint: str,
    *,
    status: int,
    body: str,
    location: str | None,
) -> None:
    session.execute(
        delete(IdempotentAnswer).where(
            IdempotentAnswer.token_id == token_id,
            IdempotentAnswer.key == key,
            IdempotentAnswer.created_at <= utcnow() - KEEP_FOR,
        )
    )
    session.add(
        IdempotentAnswer(
            token_id=token_id,
            key=key,
            request_hash=fingerprint,
            status=status,
            body=body,
            location=location,
            created_at=utcnow(),
        )
    )
    session.flush()


def forget_old_answers(session: Session, now: datetime) -> int:
    """The scheduled clean-up: answers older than a day go."""
    result = session.execute(
        delete(IdempotentAnswer).where(IdempotentAnswer.created_at <= now - KEEP_FOR)
    )
    return int(getattr(result, "rowcount", 0) or 0)
