"""`@idempotent`: a POST sent again with the same `Idempotency-Key` gets the first answer.

The rules (what counts as the same request, how long answers are kept) are the service's,
`services.idempotency`; this decorator only reads the header and the body and replays.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, request

from compliance.blueprints.api.gate import current_token
from compliance.extensions import db
from compliance.services.idempotency import (
    checked_key,
    earlier_answer,
    remember_answer,
    request_hash,
)

F = TypeVar("F", bound=Callable[..., Any])
HEADER = "Idempotency-Key"


def idempotent(view: F) -> F:
    @wraps(view)
    def answer_once(*args: Any, **kwargs: Any) -> Any:
        raw_key = request.headers.get(HEADER)
        if raw_key is None:
            return view(*args, **kwargs)
        session, token = db.session(), current_token()
        key = checked_key(raw_key)
        fingerprint = request_hash(request.method, request.path, request.get_data(cache=True))
        earlier = earlier_answer(session, token.id, key, fingerprint)
        if earlier is not None:
            replay = Response(earlier.body, earlier.status, mimetype="application/json")
            if earlier.location:
                replay.headers["Location"] = earlier.location
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        response = current_app.make_response(view(*args, **kwargs))
        remember_answer(
            session,
            token.id,
            key,
            fingerprint,
            status=response.status_code,
            body=response.get_data(as_text=True),
            location=response.headers.get("Location"),
        )
        return response

    return answer_once  # type: ignore[return-value]
